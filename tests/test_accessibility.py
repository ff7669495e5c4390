"""WCAG 2.2 AA on every role's key pages, checked by axe-core in the machine's Chromium, and
each page usable on a 390-pixel phone without scrolling sideways.

The demo gives every page something to show; each role signs in and axe-core (shipped by the
axe-playwright-python package, so nothing is fetched) runs the WCAG 2.0, 2.1 and 2.2 A and AA
rules on each of its key pages. A serious or critical finding fails the test, with the rule, the
element and what axe says to fix.
"""

import io

import pytest
from django.core.management import call_command

from demo.management.commands.seed_demo import FINISHED_PROGRAMME_NAME, ORG_SLUG, PROGRAMME_NAME
from pairs.models import Pair
from programmes.models import Programme, Stage
from surveys.models import Survey, SurveyKind
from themes.models import RecurringTheme, SystemicIssue

from . import factories
from .pages import signed_in_page
from .urls import programme_url

PASSWORD = "demo-pass-2026"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The narrowest window that gets the desktop layout (Bootstrap's lg breakpoint), and the phone.
NEVER_WIDER = ({"width": 992, "height": 800}, PHONE)


def key_pages() -> dict[str, list[str]]:
    current = Programme.objects.get(name=PROGRAMME_NAME)
    finished = Programme.objects.get(name=FINISHED_PROGRAMME_NAME)
    p = f"/o/{ORG_SLUG}/programmes/{current.pk}"
    done = f"/o/{ORG_SLUG}/programmes/{finished.pk}"
    initial = Survey.objects.get(programme=current, kind=SurveyKind.INITIAL)
    evaluation = Survey.objects.get(programme=current, kind=SurveyKind.EVALUATION)  # not open yet
    session = current.group_sessions_planned.get(sequence=1)
    common = [f"{p}/themes/register/", f"{p}/themes/register/{_first(SystemicIssue, current)}/"]
    return {
        "admin": [f"/o/{ORG_SLUG}/", f"/o/{ORG_SLUG}/members/", f"{done}/reports/"],
        "coordinator": [
            f"{p}/home/",
            f"{p}/",
            f"{p}/stages/{Stage.objects.get(programme=current, number=8).pk}/",
            f"{p}/plan/",
            f"{p}/readiness/",
            f"{p}/steering/",
            f"{p}/people/",
            f"{p}/review/",
            f"{p}/candidates/",
            f"{p}/matching/",
            f"{p}/pairs/",
            f"{p}/pairs/{Pair.objects.filter(programme=current).first().pk}/",
            f"{p}/surveys/",
            f"{p}/surveys/{initial.pk}/results/",
            f"{p}/surveys/{evaluation.pk}/edit/",
            f"{p}/surveys/{evaluation.pk}/preview/",
            f"{p}/supervision/triage/",
            f"{p}/supervision/group-sessions/{session.pk}/",
            f"{p}/themes/cohort/",
            f"{p}/themes/recurring/{_first(RecurringTheme, current)}/",
            f"{p}/themes/group-sessions/{session.pk}/analysis/",
            *common,
            f"{done}/reports/",
        ],
        "steering": [f"{p}/home/", f"{p}/", f"{p}/steering/pairs/", f"{p}/steering/", *common],
        "junior": [
            f"{p}/home/",
            f"{p}/me/pair/",
            f"{p}/me/",
            f"{p}/themes/ours/",
            f"{p}/surveys/",
            f"{p}/supervision/mine/",
            f"{p}/supervision/group-sessions/{session.pk}/",
            *common,
        ],
        "supervisor": [
            f"{p}/home/",
            f"{p}/supervision/cases/",
            f"{p}/supervision/group-sessions/{session.pk}/",
            f"{p}/themes/cohort/",
        ],
        "executive": [f"{p}/home/", f"{p}/", f"{p}/reports/", f"{done}/reports/", *common],
    }


def _first(model, programme: Programme) -> int:
    return model.objects.filter(programme=programme).order_by("pk").first().pk


def findings(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return [
        f"{rule['id']} ({rule['impact']}) {node['target']}: {node['failureSummary']}"
        for rule in results.response["violations"]
        if rule["impact"] in BLOCKING
        for node in rule["nodes"]
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_key_page_of_any_role_has_a_serious_accessibility_finding_or_scrolls_sideways(
    browser, live_server
):
    call_command("seed_demo", stdout=io.StringIO())
    found: list[str] = []
    checked = 0
    for role, paths in key_pages().items():
        page, _ = signed_in_page(browser, live_server, f"{role}@example.org", PASSWORD)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, f"{role} {path}: {response.status}"
            found += [f"{role} {path}: {finding}" for finding in findings(page)]
            for window in NEVER_WIDER:
                page.set_viewport_size(window)
                width = page.evaluate("document.scrollingElement.scrollWidth")
                if width > window["width"]:
                    found.append(f"{role} {path}: {width} px wide in a {window['width']} px window")
            page.set_viewport_size(DESKTOP)
            checked += 1
        page.close()
    assert checked >= 40  # every role signed in and saw its pages
    assert not found, "\n".join(found[:40])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_refused_form_announces_its_errors_and_takes_the_reader_to_them(
    browser, live_server, programme, people
):
    factories.publish_pair(programme, people["senior"], people["junior"], people["coordinator"])
    page, console_errors = signed_in_page(
        browser, live_server, people["junior"].email, factories.PASSWORD
    )
    page.goto(f"{live_server.url}{programme_url('programmes:home', programme)}")
    page.get_by_label("Date").fill("2099-01-01")
    page.get_by_label("Length in minutes").fill("2")
    page.get_by_role("button", name="Log meeting").click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert summary.get_by_role("link", name="Date: Log a meeting once it has happened.").count()
    summary.get_by_role("link", name="Length in minutes: Choose between 5 and 600 minutes.").click()
    assert page.evaluate("document.activeElement.name") == "duration_minutes"
    assert page.get_by_label("Length in minutes").input_value() == "2"  # what they typed stays
    assert not findings(page)
    assert [e for e in console_errors if "status of 400" not in e] == []  # the refusal is a 400
