"""End to end in the machine's Chromium, as a person would use it."""

import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from demo.management.commands.seed_demo import (
    DEMO_PASSWORD,
    FINISHED_PROGRAMME_NAME,
    PROGRAMME_NAME,
)
from organisations.roles import OrgRole

from . import factories


def signed_in_page(browser, live_server, email: str, password: str):
    """A new page signed in as `email`, and the list its console errors are collected into."""
    page = browser.new_page()
    console_errors: list[str] = []
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    return page, console_errors


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo_coordinator_opens_the_timeline_and_downloads_the_summary_pdf(
    browser, live_server, tmp_path
):
    call_command("seed_demo", stdout=io.StringIO())
    page, console_errors = signed_in_page(
        browser, live_server, "coordinator@example.org", DEMO_PASSWORD
    )

    page.get_by_role("link", name=PROGRAMME_NAME).click()
    assert page.get_by_role("heading", name=PROGRAMME_NAME).is_visible()
    stages = page.locator("ol.timeline > li")
    assert stages.count() == 10
    assert "Done" in page.locator("#stage-7").inner_text()
    assert "In progress" in page.locator("#stage-8").inner_text()
    assert "Now at stage 8" in page.content()
    assert "First combined group session" in page.locator("#stage-8").inner_text()

    page.get_by_role("link", name="Reports").click()
    page.get_by_role("button", name="Prepare a programme summary (PDF)").click()
    download_link = page.get_by_role("link", name="Download PDF")
    download_link.wait_for(timeout=30_000)  # the page polls until the worker has finished
    with page.expect_download() as download_info:
        download_link.click()
    target = tmp_path / "summary.pdf"
    download_info.value.save_as(target)

    text = "\n".join(p.extract_text() for p in PdfReader(target).pages)
    assert PROGRAMME_NAME in text
    assert "Initial training" in text
    assert console_errors == []


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
        sections = page.get_by_role("navigation", name="Programme sections")
        sections.get_by_role("link", name=name, exact=True).click()

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

    sections = page.get_by_role("navigation", name="Programme sections")
    sections.get_by_role("link", name="Matching", exact=True).click()
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
def test_the_executive_downloads_the_finished_programmes_evaluation_report(
    browser, live_server, tmp_path
):
    call_command("seed_demo", stdout=io.StringIO())  # its commit has the report rendered
    page, console_errors = signed_in_page(
        browser, live_server, "executive@example.org", DEMO_PASSWORD
    )
    page.get_by_role("link", name=FINISHED_PROGRAMME_NAME).click()
    assert "All ten stages are done." in page.content()
    sections = page.get_by_role("navigation", name="Programme sections")
    sections.get_by_role("link", name="Reports", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Evaluation report")
    assert "Ready" in row.inner_text()
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download PDF").click()
    target = tmp_path / "evaluation.pdf"
    download_info.value.save_as(target)
    reader = PdfReader(target)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert FINISHED_PROGRAMME_NAME in text and "Evaluation report" in text
    assert "Reciprocal learning" in text and len(reader.pages) >= 5
    assert console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_long_names_never_widen_a_page(browser, live_server):
    """A 150-character organisation name once made the page 2,603 px wide and pushed the
    account menu off screen."""
    long = "The Very Long Named " + "Regional Health and Social Care Partnership " * 3
    org = factories.OrganisationFactory(name=long[:150])
    admin = factories.member(
        org, role=OrgRole.ADMIN, email="admin@example.test", full_name="Anna " + "Maria " * 24
    )
    factories.programme(org, coordinator=admin, name="Programme " + "with a long name " * 8)
    page, console_errors = signed_in_page(browser, live_server, admin.email, factories.PASSWORD)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        for path in (f"/o/{org.slug}/", f"/o/{org.slug}/members/"):
            page.goto(f"{live_server.url}{path}")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{path} is {scroll_width}px wide at {width}px"
            if width < 768:  # the menus fold away behind the toggle on a phone
                page.get_by_role("button", name="Toggle navigation").click()
            menu = page.locator("#account-menu").bounding_box()
            assert menu["x"] + menu["width"] <= width, f"account menu off screen at {width}px"
    assert console_errors == []
