"""Setting a programme up in the machine's Chromium, as a coordinator would."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from organisations.roles import OrgRole, Role, Side
from programmes.models import ProgrammeMember, TrainingAttendance
from programmes.services import programme_member_add

from .. import factories
from ..pages import open_programme_page, signed_in_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_sets_up_a_programme_from_empty_and_sees_readiness_rise(browser, live_server):
    org = factories.OrganisationFactory(name="Riverside Trust")
    factories.member(org, role=OrgRole.ADMIN, email="lead@example.test")
    colleague = factories.member(org, email="network.chair@example.test", full_name="Ada Obi")
    page, console_errors = signed_in_page(
        browser, live_server, "lead@example.test", factories.PASSWORD
    )

    page.get_by_role("link", name="New programme").click()
    page.get_by_label("Programme name").fill("Riverside pilot")
    page.get_by_label("Commissioning starts on").fill("2027-01-04")
    page.get_by_role("button", name="Create programme").click()
    assert "created with its ten stages" in page.content()

    def tab(name: str) -> None:
        open_programme_page(page, "The programme", name)

    def readiness() -> int:
        tab("Readiness")
        return int(page.get_by_test_id("readiness-score").inner_text())

    empty = readiness()

    tab("Purpose")
    page.get_by_label("Purpose statement").fill(
        "Senior leaders and junior colleagues learn from each other to change how we promote."
    )
    page.get_by_label("Scope").fill("All divisions; seniors at director level and above.")
    page.get_by_label("Links to other initiatives").fill("Inclusive leadership programme")
    page.get_by_label("Selection and matching criteria").fill("Match on difference.")
    page.get_by_label("Planned number of pairs").fill("16")
    page.get_by_role("button", name="Save purpose and scope").click()
    assert "Purpose and scope saved." in page.content()

    tab("Ethics")
    page.get_by_label("Ethics and confidentiality ground rules").fill(
        "What is said in the pair stays in the pair."
    )
    page.get_by_role("button", name="Save statement").click()

    tab("Steering group")
    page.get_by_label("E-mail address").fill(colleague.email)
    page.get_by_label("Represents").fill("Race equality network")
    page.get_by_label("Chairs the steering group").check()
    page.get_by_role("button", name="Add to the steering group").click()
    assert page.get_by_test_id("steering-member").count() == 1

    tab("Training")
    page.get_by_label(re.compile(r"^\s*Title\b")).fill("Intensive day")
    page.get_by_label("Kind").select_option("initial")
    page.get_by_label("Format").select_option("in_person")
    page.get_by_label("Audience").select_option("everyone")
    page.get_by_label("Starts at").fill("2027-04-12T09:30")
    page.get_by_label("Length in minutes").fill("420")
    page.get_by_role("button", name="Schedule").click()
    assert page.get_by_test_id("training-session").count() == 1

    tab("Resources")
    page.get_by_label(re.compile(r"^\s*Title\b")).fill("Reading list")
    page.get_by_label("Link").fill("https://example.org/reading")
    page.get_by_role("button", name="Add to the library").click()
    assert page.get_by_test_id("resource").count() == 1

    tab("Timeline")
    page.get_by_label("Relationships start on").fill("2027-05-10")
    page.get_by_role("button", name="Move the dates").click()
    assert page.locator("ol.timeline > li").count() == 10
    assert "10 May 2027" in page.locator("#stage-5").inner_text()
    assert "10 Nov 2027" in page.locator("#stage-10").inner_text()  # six months on

    full = readiness()
    assert full > empty
    assert console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_sends_an_invitation_again_and_cancels_it_on_a_phone(browser, live_server):
    from organisations.models import Invitation

    from ..mailbox import delivered, link_in

    org = factories.OrganisationFactory(name="Riverside Trust")
    coordinator = factories.member(org, email="lead@example.test")
    programme = factories.programme(org, coordinator=coordinator)
    page, console_errors = signed_in_page(
        browser, live_server, "lead@example.test", factories.PASSWORD
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/o/{org.slug}/programmes/{programme.pk}/")
    open_programme_page(page, "The programme", "Steering group")
    page.get_by_label("E-mail address").fill("new.member@example.test")
    page.get_by_label("Their name").fill("Noor Haddad")
    page.get_by_label("Represents").fill("Disability network")
    page.get_by_role("button", name="Add to the steering group").click()
    assert "Invitation sent to new.member@example.test" in page.content()
    assert "0 joined, 1 invited" in page.get_by_test_id("steering-size").inner_text()

    invitations = page.get_by_role("navigation", name="Invitations by state")
    invitations.get_by_role("link", name=re.compile(r"^Invited")).click()
    row = page.get_by_test_id("invitation")
    assert row.count() == 1 and "Represents Disability network" in row.inner_text()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.get_by_role("button", name="Resend the invitation to Noor Haddad").click()
    assert "The invitation to Noor Haddad is sent again" in page.content()
    assert "state=invited" in page.url  # back to the list as it was filtered
    assert len(delivered()) == 2

    page.get_by_role("button", name="Cancel the invitation to Noor Haddad").click()
    assert "The invitation to Noor Haddad is cancelled" in page.content()
    assert page.get_by_test_id("invitation").count() == 0  # no longer among the invited
    assert "0 joined, 0 invited" in page.get_by_test_id("steering-size").inner_text()
    assert Invitation.objects.get(email="new.member@example.test").cancelled_at is not None

    invitee = browser.new_page()
    invitee.goto(live_server.url + urlsplit(link_in(delivered()[-1])).path)
    assert (
        "This invitation was cancelled on"
        in invitee.get_by_test_id("invitation-cancelled").inner_text()
    )
    assert not console_errors


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_attendance_of_a_training_session_is_found_by_name_and_saved_whole(
    browser, live_server, people, programme
):
    """A session for everyone lists every participant (600 for 300 pairs): the coordinator finds
    each name, and rows the search hides are saved too."""
    org = programme.organisation
    for name, side in (("José Álvarez", Side.SENIOR), ("Priya Sharma", Side.SENIOR)):
        colleague = factories.member(org, full_name=name)
        programme_member_add(programme=programme, user=colleague, role=Role.PARTICIPANT, side=side)
    session = factories.training_session(
        programme,
        title="Intensive day",
        starts_at=timezone.now() - timedelta(days=1),
        duration_minutes=420,
    )
    listed = ProgrammeMember.objects.filter(programme=programme, role=Role.PARTICIPANT).count()
    page, errors = signed_in_page(
        browser, live_server, people["coordinator"].email, factories.PASSWORD
    )
    page.goto(f"{live_server.url}/o/{org.slug}/programmes/{programme.pk}/training/{session.pk}/")
    count = page.get_by_test_id("attendance-count")
    assert count.inner_text() == f"0 of {listed} ticked as attended."
    find = page.get_by_label("Find a name")
    find.fill("jose")  # found without its accent
    assert count.inner_text() == f"0 of {listed} ticked as attended. 1 shown."
    assert not page.get_by_label("Priya Sharma (senior side)").is_visible()
    page.get_by_role("button", name="Tick everyone shown", exact=True).click()
    find.fill("priya")
    page.get_by_role("button", name="Tick everyone shown", exact=True).click()
    page.get_by_role("button", name="Untick everyone shown").click()
    find.press("Enter")  # finding a name does not save the list half ticked
    assert find.input_value() == "priya"
    page.get_by_label("Priya Sharma (senior side)").check()
    find.fill("")
    assert count.inner_text() == f"2 of {listed} ticked as attended."
    page.get_by_role("button", name="Save attendance").click()

    assert "Attendance saved: 2 attended." in page.content()
    attended = TrainingAttendance.objects.filter(session=session)
    assert set(attended.values_list("participant__full_name", flat=True)) == {
        "José Álvarez",
        "Priya Sharma",
    }
    assert page.get_by_test_id("attendance-count").inner_text() == (
        f"2 of {listed} ticked as attended."
    )
    assert errors == []
