"""Setting a programme up in the machine's Chromium, as a coordinator would."""

import re

import pytest

from organisations.roles import OrgRole

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
