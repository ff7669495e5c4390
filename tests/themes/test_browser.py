"""One theme in the machine's Chromium, under the real Content-Security-Policy: a pair's draft,
shared once both partners agree, grouped into a recurring theme, put on the first combined
session's agenda with a volunteer lead, opened as a systemic issue whose quick win is done, and
read in the executive's evaluation report."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from programmes.models import GroupSession
from themes.models import ActionStatus, IssueAction, Theme

from .. import factories
from ..pages import signed_in_page

TITLE = "Calibration changes nobody records"
NOTICED = "Scores move in a calibration meeting with no minutes; nobody hears why."
RECURRING = "Unrecorded calibration in promotion panels"
ISSUE = "Calibration changes after promotion panels go unrecorded"
ACTION = "Trial recording every calibration change and its reason"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_theme_goes_from_a_pairs_draft_to_an_action_done_and_the_evaluation_report(
    browser, live_server, pair, people, programme
):
    base = f"{live_server.url}/o/{programme.organisation.slug}/programmes/{programme.pk}"
    session = GroupSession.objects.filter(programme=programme).order_by("sequence").first()
    session.date = timezone.localdate() + timedelta(days=20)
    session.save()
    junior, junior_errors = signed_in_page(
        browser, live_server, people["junior"].email, factories.PASSWORD
    )
    junior.goto(f"{base}/themes/ours/")
    junior.get_by_label("A short title").fill(TITLE)
    junior.get_by_label("The part of the organisation's systems it touches").select_option(
        "promotion"
    )
    junior.get_by_role("button", name="Save as our draft").click()
    assert "This field is required." in junior.content()  # what we noticed: kept what was typed
    assert junior.get_by_label("A short title").input_value() == TITLE
    junior.get_by_label("What we noticed").fill(NOTICED)
    junior.get_by_label("A quick-win candidate").check()
    junior.get_by_role("button", name="Save as our draft").click()
    theme = junior.get_by_test_id("our-theme")
    assert "Draft" in theme.inner_text()
    theme.get_by_role("button", name="I agree to share it").click()
    assert "your partner has not yet" in junior.get_by_test_id("our-theme").inner_text()
    assert Theme.objects.get().shared_at is None  # one partner does not share for the other

    senior, senior_errors = signed_in_page(
        browser, live_server, people["senior"].email, factories.PASSWORD
    )
    senior.goto(f"{base}/themes/ours/")
    senior.get_by_test_id("our-theme").get_by_role("button", name="I agree to share it").click()
    assert "Shared" in senior.get_by_test_id("our-theme").inner_text()

    coordinator, coordinator_errors = signed_in_page(
        browser, live_server, people["coordinator"].email, factories.PASSWORD
    )
    coordinator.goto(f"{base}/themes/cohort/")
    assert NOTICED in coordinator.content()
    assert people["junior"].full_name not in coordinator.content()  # not named by the pair
    coordinator.get_by_label("Name").fill(RECURRING)
    coordinator.get_by_label("The system it touches").select_option("promotion")
    coordinator.get_by_label(TITLE).check()
    coordinator.get_by_role("button", name="Create the recurring theme").click()
    row = coordinator.get_by_role("row", name=RECURRING)
    assert row.get_by_role("cell").nth(2).inner_text() == "1"  # pairs

    coordinator.goto(f"{base}/supervision/group-sessions/{session.pk}/")
    coordinator.get_by_label("A supervisor of the programme").select_option(index=1)
    coordinator.get_by_role("button", name="Save", exact=True).click()
    coordinator.get_by_role("button", name="Add to the agenda").click()
    assert RECURRING in coordinator.get_by_test_id("agenda-item").inner_text()

    junior.goto(f"{base}/supervision/group-sessions/{session.pk}/")
    junior.get_by_role("button", name="I acknowledge these ground rules").click()
    assert "You acknowledged them on" in junior.content()
    junior.get_by_test_id("agenda-item").get_by_role("button", name="I'll lead this").click()
    coordinator.reload()
    coordinator.get_by_test_id("agenda-item").get_by_label("Lead").select_option(
        label=people["junior"].full_name
    )
    coordinator.get_by_role("button", name="Confirm").click()
    assert coordinator.get_by_test_id("agenda-lead").inner_text() == people["junior"].full_name

    coordinator.goto(f"{base}/themes/register/new/")
    coordinator.get_by_label("The issue").fill(ISSUE)
    coordinator.get_by_label("The system it concerns").select_option("promotion")
    coordinator.get_by_label("Owner").select_option(label=people["senior"].full_name)
    coordinator.get_by_label(RECURRING).check()
    coordinator.get_by_role("button", name="Open the issue").click()
    assert coordinator.get_by_test_id("evidence").inner_text().startswith("Raised by 1 pair")
    coordinator.get_by_label("The action").fill(ACTION)
    adding = coordinator.get_by_role("region", name="Add an action")
    adding.get_by_label("Owner").select_option(label=people["senior"].full_name)
    coordinator.get_by_label("Due by").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    coordinator.get_by_label("A quick win").check()
    coordinator.get_by_role("button", name="Add", exact=True).click()
    assert "Choose a date from today on." in coordinator.content()
    assert coordinator.get_by_label("The action").input_value() == ACTION
    coordinator.get_by_label("Due by").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    coordinator.get_by_role("button", name="Add", exact=True).click()
    action = coordinator.get_by_test_id("action")
    action.get_by_text("Record progress").click()
    action.get_by_label("Status").select_option("done")
    action.get_by_label("Progress").fill("Finance records every change from this month.")
    action.get_by_role("button", name="Save").click()
    assert coordinator.get_by_test_id("action-status").inner_text() == "Done"
    assert IssueAction.objects.get().status == ActionStatus.DONE

    junior.goto(f"{base}/themes/ours/")
    assert junior.get_by_test_id("where-it-went").inner_text() == (
        f"Part of the recurring theme {RECURRING}, on the agenda of the first combined group "
        f"session ({session.date:%-d %b}); behind the systemic issue {ISSUE}."
    )

    executive, executive_errors = signed_in_page(
        browser, live_server, people["executive"].email, factories.PASSWORD
    )
    executive.goto(f"{base}/themes/register/")
    assert ISSUE in executive.content()
    executive.goto(f"{base}/reports/")
    executive.get_by_role("button", name="Prepare the evaluation report (PDF)").click()
    with executive.expect_download() as download:
        executive.get_by_role("link", name="Download").click()
    with open(download.value.path(), "rb") as pdf:
        text = " ".join(
            " ".join(
                page.extract_text() for page in PdfReader(io.BytesIO(pdf.read())).pages
            ).split()
        )
    assert "Systemic change" in text
    assert RECURRING in text and ISSUE in text and ACTION in text
    assert "with 1 action: 1 done (1 of them a quick win) and 0 still to do." in text
    assert NOTICED not in text  # what the pair noticed stays with the cohort
    assert people["junior"].full_name not in text  # the pair is not named; owners are
    assert senior_errors == executive_errors == []
    refused = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    assert junior_errors == [refused]  # the theme without what we noticed, and nothing else
    assert coordinator_errors == [refused]  # the action due yesterday, and nothing else
