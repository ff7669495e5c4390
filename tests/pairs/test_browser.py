"""The pairs' flows and scripts in the machine's Chromium, under the real
Content-Security-Policy."""

import pytest

from organisations.roles import Side
from pairs.forms import DEFAULT_DECISION_WORDS
from pairs.models import Decision
from pairs.services import participant_add

from .. import factories
from ..pages import open_programme_page, signed_in_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_imports_matches_swaps_publishes_and_a_participant_sees_their_partner(
    browser, live_server, tmp_path
):
    from pairs.models import Decision, Pair, PairStatus, Profile
    from pairs.services import decision_record

    org = factories.OrganisationFactory(name="Harbour Council")
    coordinator = factories.member(org, email="coord@example.test")
    programme = factories.programme(org, coordinator=coordinator, name="Harbour pilot")
    people = [
        factories.member(org, email=f"{name.lower()}@example.test", full_name=name)
        for name in ["Anna", "Bilal", "Carmen", "Dev", "Esi", "Femi"]
    ]
    cohort = tmp_path / "cohort.csv"
    cohort.write_text(
        "name,email,side,department,grade,line_manager_email\n"
        "Anna,anna@example.test,senior,Finance,9,\n"
        "Bilal,bilal@example.test,senior,Operations,10,\n"
        "Carmen,carmen@example.test,senior,Technology,9,\n"
        "Dev,dev@example.test,junior,Finance,3,\n"
        "Esi,esi@example.test,junior,Operations,2,\n"
        "Femi,femi@example.test,junior,Technology,3,\n"
    )
    page, console_errors = signed_in_page(
        browser, live_server, "coord@example.test", factories.PASSWORD
    )
    page.goto(f"{live_server.url}/o/{org.slug}/programmes/{programme.pk}/candidates/")
    page.get_by_label("Cohort file (CSV)").set_input_files(cohort)
    page.get_by_role("button", name="Check and import").click()
    assert "6 people imported: 6 added" in page.content()
    assert page.get_by_test_id("candidate").count() == 6

    for profile in Profile.objects.filter(programme=programme):
        decision_record(profile=profile, decision=Decision.SELECTED, subject="Yes", body="Yes")

    open_programme_page(page, "People and matching", "Matching")
    page.get_by_role("button", name="Run the matching").click()
    assert page.get_by_test_id("proposed-pair").count() == 3

    rows = page.get_by_test_id("proposed-pair")
    first_junior = rows.nth(0).locator("td").nth(1).inner_text().strip()
    second_junior = rows.nth(1).locator("td").nth(1).inner_text().strip()
    page.get_by_label("Swap the junior partner of").select_option(index=1)
    page.get_by_label("with the one of").select_option(index=2)
    page.get_by_role("button", name="Swap", exact=True).click()
    assert "Partners swapped" in page.content()
    rows = page.get_by_test_id("proposed-pair")
    assert rows.nth(0).locator("td").nth(1).inner_text().strip() == second_junior
    assert rows.nth(1).locator("td").nth(1).inner_text().strip() == first_junior

    page.get_by_role("link", name="Publish these pairs and introduce the partners").click()
    summary = "3 pairs will be published and 6 people e-mailed an introduction."
    assert page.get_by_test_id("publish-summary").inner_text() == summary
    page.get_by_role("button", name="Publish 3 pairs and e-mail 6 people").click()
    assert page.get_by_test_id("pair").count() == 3
    pair = Pair.objects.select_related("senior", "junior").get(
        programme=programme, status=PairStatus.ACTIVE, senior__email="anna@example.test"
    )

    partner_page, partner_errors = signed_in_page(
        browser, live_server, "anna@example.test", factories.PASSWORD
    )
    partner_page.goto(f"{live_server.url}/o/{org.slug}/programmes/{programme.pk}/me/pair/")
    assert partner_page.get_by_test_id("partner-name").inner_text() == pair.junior.full_name
    assert console_errors == [] and partner_errors == []
    assert people


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_contrasting_pulses_and_a_check_in_flag_the_pair_on_the_coordinators_dashboard(
    browser, live_server
):
    from organisations.roles import Role, Side
    from pairs.models import Meeting
    from pairs.services import (
        decision_record,
        matching_publish,
        matching_run,
        pair_steward_set,
        participant_add,
    )
    from programmes.services import programme_member_add

    org = factories.OrganisationFactory(name="Estuary Trust")
    coordinator = factories.member(org, email="coord@estuary.test")
    programme = factories.programme(org, coordinator=coordinator, name="Estuary pilot")
    steering = factories.member(org, email="steer@estuary.test", full_name="Sol Steer")
    programme_member_add(programme=programme, user=steering, role=Role.STEERING)
    users = {}
    for email, side, grade in (
        ("sen@estuary.test", Side.SENIOR, 9),
        ("jun@estuary.test", Side.JUNIOR, 3),
    ):
        users[side] = factories.member(org, email=email, full_name=email.split("@")[0].title())
        profile = participant_add(programme=programme, user=users[side], side=side)
        profile.grade = grade
        profile.save()
        decision_record(profile=profile, decision="selected", subject="Yes", body="Yes")
    matching_run(programme=programme)
    matching_publish(programme=programme, by=coordinator)
    pair = programme.pairs.get()
    pair_steward_set(pair=pair, steering_member=steering)
    base = f"{live_server.url}/o/{org.slug}/programmes/{programme.pk}"

    senior_page, senior_errors = signed_in_page(
        browser, live_server, "sen@estuary.test", factories.PASSWORD
    )
    senior_page.goto(f"{base}/me/pair/")
    senior_page.get_by_label("Date").fill("2026-11-20")
    senior_page.get_by_label("Length in minutes").fill("60")
    senior_page.get_by_label("In person or virtual").select_option("virtual")
    senior_page.get_by_label("Shared notes").fill("We talked about who gets stretch projects")
    senior_page.get_by_role("button", name="Log meeting").click()
    assert senior_page.get_by_test_id("meeting").count() == 1
    meeting = Meeting.objects.get(pair=pair)

    def answer_pulse(page, value: str) -> None:
        for item in ("spoke_openly", "learned", "partner_learned", "going"):
            page.locator(f'input[name="p{meeting.pk}-{item}"][value="{value}"]').check()
        page.get_by_role("button", name="Send pulse").click()
        assert "the coordinator sees only a flag" in page.content()

    answer_pulse(senior_page, "5")

    junior_page, junior_errors = signed_in_page(
        browser, live_server, "jun@estuary.test", factories.PASSWORD
    )
    junior_page.goto(f"{base}/me/pair/")
    assert "We talked about who gets stretch projects" in junior_page.content()
    answer_pulse(junior_page, "1")

    steering_page, steering_errors = signed_in_page(
        browser, live_server, "steer@estuary.test", factories.PASSWORD
    )
    steering_page.goto(f"{base}/steering/pairs/")
    steering_page.get_by_text("Log a check-in").click()
    steering_page.get_by_label("Status").select_option("at_risk")
    steering_page.get_by_label("Note for the coordinator").fill("Junior partner seems guarded")
    steering_page.get_by_role("button", name="Log check-in").click()
    assert "Check-in with" in steering_page.content()

    coordinator_page, coordinator_errors = signed_in_page(
        browser, live_server, "coord@estuary.test", factories.PASSWORD
    )
    coordinator_page.goto(f"{base}/pairs/")
    row = coordinator_page.get_by_test_id("pair").first
    assert "very differently" in row.get_by_test_id("attention").inner_text()
    assert "At risk" in row.inner_text()
    assert senior_errors == junior_errors == steering_errors == coordinator_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_suggested_words_follow_the_decision_until_the_coordinator_writes_their_own(
    browser, live_server
):
    org = factories.OrganisationFactory()
    coordinator = factories.member(org, email="coord@words.test")
    programme = factories.programme(org, coordinator=coordinator, name="Words pilot")
    candidate = participant_add(programme=programme, user=factories.member(org), side=Side.JUNIOR)

    def words(decision: str) -> tuple[str, str]:
        subject, body = DEFAULT_DECISION_WORDS[decision]
        return subject.format(programme=programme.name), body.format(programme=programme.name)

    page, console_errors = signed_in_page(
        browser, live_server, "coord@words.test", factories.PASSWORD
    )
    page.goto(
        f"{live_server.url}/o/{org.slug}/programmes/{programme.pk}/candidates/{candidate.pk}/"
    )
    form = page.get_by_test_id("decision-form")
    decision, subject, body = (
        form.get_by_label("Decision"),
        form.get_by_label("Subject"),
        form.get_by_label("Body"),
    )
    restore = form.get_by_role("button", name="Use the suggested words")
    assert not form.get_by_role(
        "button", name="Show suggested words for this decision"
    ).is_visible()
    assert (subject.input_value(), body.input_value()) == words(Decision.SELECTED)
    assert not restore.is_visible()

    decision.select_option(Decision.NOT_SELECTED)
    assert (subject.input_value(), body.input_value()) == words(Decision.NOT_SELECTED)

    body.fill("Dear Kim, not this time, but do apply again.")
    decision.select_option(Decision.WAIT_LISTED)
    assert subject.input_value() == words(Decision.NOT_SELECTED)[0]  # their words are kept
    assert body.input_value() == "Dear Kim, not this time, but do apply again."
    assert "Your own words are kept" in form.inner_text()
    restore.click()
    assert (subject.input_value(), body.input_value()) == words(Decision.WAIT_LISTED)
    assert not restore.is_visible()

    form.get_by_role("button", name="Record and e-mail").click()
    assert "wait-listed; e-mail sent" in page.content()
    candidate.refresh_from_db()
    assert candidate.decision == Decision.WAIT_LISTED
    assert console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_decides_several_at_once_and_pairs_two_people_by_hand(browser, live_server):
    from pairs.models import Pair, Profile

    from ..test_accessibility import PHONE, findings

    org = factories.OrganisationFactory()
    coordinator = factories.member(org, email="coord@hand.test")
    programme = factories.programme(org, coordinator=coordinator, name="Hand pilot")
    waiting = [
        participant_add(
            programme=programme, user=factories.member(org, full_name=name), side=Side.JUNIOR
        )
        for name in ("Kim Pending", "Lou Pending", "Max Pending")
    ]
    senior, report, other = factories.selected_cohort(programme, 1, 2)
    report.line_manager_email = senior.email
    report.save()
    base = f"{live_server.url}/o/{org.slug}/programmes/{programme.pk}"
    page, console_errors = signed_in_page(
        browser, live_server, "coord@hand.test", factories.PASSWORD
    )
    problems: list[str] = []

    page.goto(f"{base}/candidates/?decision=pending")
    page.get_by_role("button", name="Record and e-mail each").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    assert "Choose at least one candidate" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.url.endswith("/candidates/decide/?decision=pending")
    page.get_by_label("Choose Kim Pending").check()
    page.get_by_label("Choose Max Pending").check()
    form = page.get_by_test_id("bulk-decision-form")
    assert page.get_by_test_id("chosen-count").inner_text() == "2 chosen on this page."
    form.get_by_label("Decision").select_option(Decision.WAIT_LISTED)
    subject = DEFAULT_DECISION_WORDS[Decision.WAIT_LISTED][0].format(programme=programme.name)
    assert form.get_by_label("Subject").input_value() == subject
    problems += findings(page)
    form.get_by_role("button", name="Record and e-mail each").click()
    assert "2 candidates wait-listed, each e-mailed once: Kim Pending and Max Pending." in (
        page.content()
    )
    assert page.url.endswith("/candidates/?decision=pending")
    assert [Profile.objects.get(pk=p.pk).decision for p in waiting] == [
        Decision.WAIT_LISTED,
        Decision.PENDING,
        Decision.WAIT_LISTED,
    ]

    page.goto(f"{base}/matching/")
    hand = page.get_by_test_id("hand-pair-form")
    hand.get_by_label("Senior partner").select_option(str(senior.pk))
    hand.get_by_label("Junior partner").select_option(str(report.pk))
    hand.get_by_role("button", name="Pair them").click()
    hand = page.get_by_test_id("hand-pair-form")
    refusal = f"Refused: {senior.full_name} and {report.full_name} are in the same reporting line."
    assert refusal in hand.inner_text()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    summary.get_by_role("link", name=f"Junior partner: {refusal}").click()
    assert page.evaluate("document.activeElement.name") == "junior"
    assert hand.get_by_label("Senior partner").input_value() == str(senior.pk)
    assert hand.get_by_label("Junior partner").input_value() == str(report.pk)
    problems += findings(page)
    page.set_viewport_size(PHONE)
    if page.evaluate("document.scrollingElement.scrollWidth") > PHONE["width"]:
        problems.append("the matching page scrolls sideways on a phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    hand.get_by_label("Junior partner").select_option(str(other.pk))
    hand.get_by_role("button", name="Pair them").click()
    assert f"Paired by hand: {senior.full_name} and {other.full_name}." in page.content()
    row = page.get_by_test_id("proposed-pair")
    assert row.get_by_test_id("lock-state").inner_text() == "Locked"
    row.get_by_role("button", name="Unlock").click()
    assert f"Unlocked: {senior.full_name} and {other.full_name}" in page.content()
    assert page.get_by_test_id("lock-state").inner_text() == "Not locked"
    assert not Pair.objects.get(senior=senior).locked
    problems += findings(page)
    assert problems == []
    # The refused pairing answered 400, as it should; nothing else went wrong in the page.
    assert [e for e in console_errors if "status of 400 (Bad Request)" not in e] == []
