"""One referral in the machine's Chromium, under the real Content-Security-Policy: a partner's
confidential concern, the coordinator's triage, the supervisor's session and outcome, and what
the partner then reads."""

from datetime import timedelta

import pytest
from django.utils import timezone

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
