"""One referral in the machine's Chromium, under the real Content-Security-Policy: a partner's
confidential concern, the coordinator's triage, the supervisor's session and outcome, and what
the partner then reads."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supervision.models import Referral, ReferralStatus

from .. import factories
from ..pages import signed_in_page

CONCERN = "My partner talks over me in every meeting and I have started to dread them."
NOTE = "She wants to carry on; practise naming it in the moment."


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_concern_goes_to_triage_then_a_supervisor_who_books_a_session_and_records_the_outcome(
    browser, live_server, pair, people, programme, supervisor
):
    base = f"{live_server.url}/o/{programme.organisation.slug}/programmes/{programme.pk}"
    partner, partner_errors = signed_in_page(
        browser, live_server, people["junior"].email, factories.PASSWORD
    )
    partner.goto(f"{base}/me/pair/")
    partner.get_by_label("What worries you").fill(CONCERN)
    partner.get_by_label("Yes, I would like a supervisor's help with it").check()
    partner.get_by_role("button", name="Send to the coordinator").click()
    assert "your request for supervision" in partner.content()
    status = partner.get_by_test_id("referral-status")
    assert (
        status.inner_text()
        == "You asked on "
        + timezone.localdate().strftime("%-d %b %Y")
        + ": The coordinator has it and will decide what happens next."
    )

    coordinator, coordinator_errors = signed_in_page(
        browser, live_server, people["coordinator"].email, factories.PASSWORD
    )
    coordinator.goto(f"{base}/supervision/triage/")
    assert coordinator.get_by_test_id("triage-row").count() == 1
    coordinator.get_by_test_id("triage-row").get_by_role("link").click()
    assert coordinator.get_by_test_id("referral-text").inner_text() == CONCERN
    coordinator.get_by_label("Individual supervision").check()
    coordinator.get_by_role("button", name="Decide").click()
    coordinator.get_by_role("button", name="Assign").click()
    assert "Waiting for the supervisor to accept" in coordinator.content()

    supervising, supervisor_errors = signed_in_page(
        browser, live_server, people["supervisor"].email, factories.PASSWORD
    )
    supervising.goto(f"{base}/supervision/cases/")
    supervising.get_by_role("link", name=people["junior"].full_name).first.click()
    assert supervising.get_by_test_id("referral-text").inner_text() == CONCERN
    supervising.get_by_role("button", name="Accept this case").click()
    supervising.get_by_text("Book a session").click()
    starts = timezone.localtime() + timedelta(days=3)
    supervising.get_by_label("Length in minutes").fill("10")  # too short: refused, kept
    supervising.get_by_label("Place or joining link").fill("Video call")
    supervising.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT10:00"))
    supervising.get_by_label("Mode").select_option("virtual")
    supervising.get_by_role("button", name="Book").click()
    assert "Choose between 15 and 240 minutes." in supervising.content()
    assert supervising.get_by_label("Place or joining link").input_value() == "Video call"
    supervising.get_by_label("Length in minutes").fill("60")
    supervising.get_by_role("button", name="Book").click()
    assert supervising.get_by_test_id("session").count() == 1
    supervising.get_by_label("A note for yourself").fill(NOTE)
    supervising.get_by_role("button", name="Add note").click()
    supervising.get_by_label("Resolved").check()
    supervising.get_by_label("Close the case").check()
    supervising.get_by_role("button", name="Record").click()
    referral = Referral.objects.get()
    assert (referral.status, referral.outcome) == (ReferralStatus.CLOSED, "resolved")

    coordinator.reload()
    status = coordinator.get_by_test_id("referral-status").inner_text()
    assert status == "Status: Closed · Individual supervision · " + (
        f"{people['supervisor'].full_name} · Outcome: Resolved"
    )
    assert NOTE not in coordinator.content()
    partner.goto(f"{base}/me/pair/")
    assert partner.get_by_test_id("referral-status").inner_text().endswith("Closed.")
    assert NOTE not in partner.content()
    assert partner_errors == coordinator_errors == []
    refused = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    assert supervisor_errors == [refused]  # the booking that was too short, and nothing else


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_attendance_of_a_large_session_is_found_by_name_and_saved_whole(
    browser, live_server, people, programme, supervisor
):
    """Everyone in a pair that is meeting is invited to a combined session (600 people for 300
    pairs): the facilitator finds each name, and rows the search hides are saved too."""
    from programmes.models import GroupSession
    from supervision.models import Attendance
    from supervision.services import group_facilitation_set

    org = programme.organisation
    seniors = ["Priya Sharma", "José Álvarez", "Tomasz Nowak"]
    juniors = ["Ben Carter", "Chloe Dubois", "Amara Okafor"]
    people_by_name = {}
    for senior, junior in zip(seniors, juniors, strict=True):
        pair_of = [factories.member(org, full_name=name) for name in (senior, junior)]
        factories.publish_pair(programme, *pair_of, people["coordinator"])
        people_by_name.update(zip((senior, junior), pair_of, strict=True))
    session = GroupSession.objects.filter(programme=programme).first()
    group_facilitation_set(session=session, facilitator=supervisor, external_facilitator="")
    base = f"{live_server.url}/o/{org.slug}/programmes/{programme.pk}"

    page, errors = signed_in_page(
        browser, live_server, people["supervisor"].email, factories.PASSWORD
    )
    page.goto(f"{base}/supervision/group-sessions/{session.pk}/")
    count = page.get_by_test_id("attendance-count")
    assert count.inner_text() == "0 of 6 ticked as attended."
    find = page.get_by_label("Find a name")
    find.fill("jose")  # found without its accent
    assert count.inner_text() == "0 of 6 ticked as attended. 1 shown."
    assert page.get_by_label("José Álvarez").is_visible()
    assert not page.get_by_label("Priya Sharma").is_visible()
    page.get_by_role("button", name="Tick everyone shown", exact=True).click()
    find.fill("zz")
    assert count.inner_text() == "1 of 6 ticked as attended. No name matches."
    find.fill("")
    page.get_by_label("Ben Carter").check()
    page.get_by_label("Chloe Dubois").check()
    find.fill("chloe")
    page.get_by_role("button", name="Untick everyone shown").click()
    find.fill("ben")  # José, ticked, is hidden from view now, but is still sent
    assert count.inner_text() == "2 of 6 ticked as attended. 1 shown."
    page.get_by_role("button", name="Save attendance").click()

    assert "Attendance saved: 2 attended." in page.content()
    attended = Attendance.objects.filter(session=session, attended=True)
    assert set(attended.values_list("user__full_name", flat=True)) == {"José Álvarez", "Ben Carter"}
    assert page.get_by_test_id("attendance-count").inner_text() == "2 of 6 ticked as attended."

    find = page.get_by_label("Find a name")
    find.fill("priya")
    find.press("Enter")  # finding a name does not save the list half ticked
    page.wait_for_timeout(500)  # long enough for a submitted form to have reloaded the page
    assert find.input_value() == "priya"  # the page was not sent and reloaded
    page.get_by_label("Priya Sharma").check()
    # A screen reader hears the count once, when the ticking pauses.
    expect(page.locator("[data-checklist-announce]")).to_have_text(
        "3 of 6 ticked as attended. 1 shown."
    )
    assert errors == []
