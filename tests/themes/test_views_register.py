"""The register's pages: every role reads it, the coordinator keeps it, an action's owner moves
their action on; the list is paginated and filtered, and its CSV is safe in a spreadsheet."""

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from themes.models import IssueAction, IssueProgress, IssueStatus, SystemicIssue
from themes.services import issue_close

from ..pages import page_text as raw_page_text
from ..urls import programme_url
from .conftest import grouped, shared
from .test_register import ISSUE, add_action, open_issue

READERS = ["coordinator", "steering", "senior", "junior", "supervisor", "executive", "org_admin"]


def page_text(response) -> str:
    return html.unescape(raw_page_text(response))


@pytest.fixture
def recurring(programme, pair, other_pair):
    return grouped(programme, "Calibration", shared(pair), shared(other_pair))


@pytest.fixture
def issue(programme, coordinator, recurring, people):
    issue = open_issue(programme, coordinator, recurring, owner=people["steering"])
    add_action(issue, people["senior"], quick_win=True)
    return issue


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.django_db
@pytest.mark.parametrize("who", READERS)
def test_every_role_reads_the_register_and_its_issues(client, programme, people, issue, who):
    client.force_login(people[who])
    listing = page_text(client.get(programme_url("themes:register", programme)))
    assert "Calibration is never recorded" in listing and "raised by 2 pairs" in listing
    assert "Minute every calibration" in listing and "quick win" in listing
    detail = page_text(client.get(programme_url("themes:issue", programme, issue.pk)))
    assert "Raised by 2 pairs, in the recurring theme “Calibration”." in detail
    assert "Scores before and after calibration, by group." in detail
    export = client.get(programme_url("themes:register_csv", programme))
    assert export.status_code == 200 and len(rows_of(export)) == 2
    keeps = "Open an issue" in listing
    assert keeps is (who == "coordinator")


@pytest.mark.django_db
def test_who_has_no_role_in_the_programme_or_is_elsewhere_does_not_read_it(
    client, programme, people, issue
):
    for who, status in (("no_role", 403), ("outsider", 404)):
        client.force_login(people[who])
        for url in (
            programme_url("themes:register", programme),
            programme_url("themes:issue", programme, issue.pk),
            programme_url("themes:register_csv", programme),
        ):
            assert client.get(url).status_code == status, (who, url)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["steering", "senior", "supervisor", "executive", "org_admin"])
def test_only_the_coordinator_keeps_the_register(client, programme, people, issue, who):
    client.force_login(people[who])
    for name, args in (
        ("themes:issue_new", ()),
        ("themes:issue_save", (issue.pk,)),
        ("themes:issue_close", (issue.pk,)),
        ("themes:issue_reopen", (issue.pk,)),
        ("themes:action_add", (issue.pk,)),
        ("themes:progress", (issue.pk,)),
    ):
        assert client.post(programme_url(name, programme, *args)).status_code == 403, name
    assert client.get(programme_url("themes:issue_new", programme)).status_code == 403
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN and issue.actions.count() == 1


@pytest.mark.django_db
def test_the_coordinator_opens_an_issue_from_a_recurring_theme_and_adds_an_action(
    client, programme, people, recurring
):
    client.force_login(people["coordinator"])
    form = client.get(programme_url("themes:issue_new", programme), {"from": recurring.pk})
    assert f'value="{recurring.pk}"' in form.content.decode()
    refused = client.post(
        programme_url("themes:issue_new", programme), {**ISSUE, "owner": "", "recurring": []}
    )
    assert refused.status_code == 400
    assert 'value="Calibration is never recorded"' in refused.content.decode()
    opened = client.post(
        programme_url("themes:issue_new", programme),
        {**ISSUE, "owner": people["steering"].pk, "recurring": [recurring.pk]},
        follow=True,
    )
    assert "Issue opened. Add its actions." in page_text(opened)
    issue = SystemicIssue.objects.get()
    assert list(issue.recurring.all()) == [recurring] and issue.owner == people["steering"]
    due = timezone.localdate() + timedelta(days=10)
    past = client.post(
        programme_url("themes:action_add", programme, issue.pk),
        {"text": "Too late", "owner": people["senior"].pk, "due": "2020-01-01"},
    )
    assert past.status_code == 400 and "Choose a date from today on." in page_text(past)
    added = client.post(
        programme_url("themes:action_add", programme, issue.pk),
        {"text": "Ask HR", "owner": people["senior"].pk, "due": due, "quick_win": "on"},
        follow=True,
    )
    assert "Action added." in page_text(added)
    action = IssueAction.objects.get()
    assert (action.owner, action.due, action.quick_win) == (people["senior"], due, True)


@pytest.mark.django_db
def test_an_actions_owner_moves_it_on_and_anyone_else_is_told_who_may(
    client, programme, people, issue, session
):
    action = issue.actions.get()
    url = programme_url("themes:action_update", programme, action.pk)
    prefix = f"a{action.pk}"
    client.force_login(people["junior"])  # a reader, not the owner
    refused = client.post(url, {f"{prefix}-status": "done", f"{prefix}-note": "Not mine"})
    assert refused.status_code == 400
    assert "Only the action's owner or the coordinator moves it on." in page_text(refused)
    client.force_login(people["org_admin"])
    assert client.post(url, {f"{prefix}-status": "done"}).status_code == 400
    action.refresh_from_db()
    assert action.status == "todo"
    client.force_login(people["senior"])  # the owner
    moved = client.post(
        url,
        {
            f"{prefix}-status": "doing",
            f"{prefix}-note": "Asked HR",
            f"{prefix}-session": session.pk,
        },
        follow=True,
    )
    assert "Under way" in page_text(moved) and "Asked HR" in page_text(moved)
    client.force_login(people["coordinator"])  # the keeper
    client.post(url, {f"{prefix}-status": "done"})
    action.refresh_from_db()
    assert action.status == "done"
    assert IssueProgress.objects.filter(action=action, session=session).count() == 1


@pytest.mark.django_db
def test_progress_is_recorded_at_a_session_by_the_page(client, programme, people, issue, session):
    client.force_login(people["coordinator"])
    url = programme_url("themes:progress", programme, issue.pk)
    refused = client.post(url, {"text": "", "session": session.pk})
    assert refused.status_code == 400
    said = page_text(client.post(url, {"text": "HR agreed", "session": session.pk}, follow=True))
    assert "Progress recorded." in said and "at the first combined group session" in said


@pytest.mark.django_db
def test_the_coordinator_closes_an_issue_with_a_note_and_reopens_it(
    client, programme, people, issue
):
    client.force_login(people["coordinator"])
    refused = client.post(programme_url("themes:issue_close", programme, issue.pk), {"note": ""})
    assert refused.status_code == 400 and "This field is required." in page_text(refused)
    closed = client.post(
        programme_url("themes:issue_close", programme, issue.pk),
        {"note": "Minuted from now on"},
        follow=True,
    )
    assert "Closed." in page_text(closed) and "Closed: Minuted from now on" in page_text(closed)
    assert "Reopen" in page_text(closed) and "Add an action" not in page_text(closed)
    reopened = client.post(programme_url("themes:issue_reopen", programme, issue.pk), follow=True)
    assert "Reopened." in page_text(reopened) and "Add an action" in page_text(reopened)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN and issue.closed_at is None


@pytest.mark.django_db
def test_the_coordinator_changes_an_issue_and_a_bad_change_keeps_what_was_typed(
    client, programme, people, issue, recurring
):
    client.force_login(people["coordinator"])
    url = programme_url("themes:issue_save", programme, issue.pk)
    refused = client.post(url, {**ISSUE, "title": "", "description": "Kept words", "owner": ""})
    assert refused.status_code == 400 and "Kept words" in page_text(refused)
    # The form sits in a section closed by default: refused, it is open at its error.
    change = refused.content.decode().split('<summary class="card-body">Change the issue', 1)[0]
    assert change.endswith('<details class="card mb-3" open>')
    client.post(url, {**ISSUE, "title": "Renamed", "owner": "", "recurring": [recurring.pk]})
    issue.refresh_from_db()
    assert issue.title == "Renamed" and issue.owner is None


@pytest.mark.django_db
def test_the_csv_has_a_row_per_action_and_cells_a_spreadsheet_reads_as_text(
    client, programme, people, recurring
):
    people["senior"].full_name = "=HYPERLINK(evil)"
    people["senior"].save()
    formula = open_issue(
        programme, people["coordinator"], recurring, title="=1+1", data_gaps="@SUM(A1)"
    )
    add_action(formula, people["senior"], text="+call HR", quick_win=True)
    add_action(formula, people["coordinator"], text="-second", days=20)
    open_issue(programme, people["coordinator"], recurring, title="Without actions")
    client.force_login(people["coordinator"])
    export = client.get(programme_url("themes:register_csv", programme))
    assert export["Content-Type"].startswith("text/csv")
    assert "systemic-issues.csv" in export["Content-Disposition"]
    header, *rows = rows_of(export)
    assert header[:6] == [
        "issue",
        "system",
        "status",
        "owner",
        "pairs raising it",
        "data we do not yet have",
    ]
    by_action = {row[6]: row for row in rows}
    first = by_action["'+call HR"]
    assert first[:6] == ["'=1+1", "Promotion and progression", "Open", "", "2", "'@SUM(A1)"]
    assert first[7:] == [
        "'=HYPERLINK(evil)",
        (timezone.localdate() + timedelta(days=14)).isoformat(),
        "Not started",
        "yes",
    ]
    assert by_action["'-second"][10] == "no"
    assert by_action[""][0] == "Without actions" and by_action[""][6:] == ["", "", "", "", ""]
    assert len(rows) == 3
    assert not any(cell[:1] in ("=", "+", "-", "@") for row in rows for cell in row)


@pytest.mark.django_db
def test_the_register_is_paginated_and_filtered_and_so_is_its_csv(
    client, programme, people, recurring
):
    for n in range(27):
        open_issue(programme, people["coordinator"], recurring, title=f"Issue {n:02}")
    closed = open_issue(programme, people["coordinator"], recurring, title="Closed one")
    issue_close(issue=closed, by=people["coordinator"], note="Done")
    open_issue(programme, people["coordinator"], recurring, title="About data", system="data")
    client.force_login(people["steering"])
    url = programme_url("themes:register", programme)
    first = client.get(url).content.decode()
    assert first.count('data-testid="issue"') == 25 and "Page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('data-testid="issue"') == 4 and "Closed one" in second  # open first
    only_closed = client.get(url, {"status": "closed"}).content.decode()
    assert only_closed.count('data-testid="issue"') == 1 and "Closed one" in only_closed
    only_data = client.get(url, {"system": "data", "status": "open"}).content.decode()
    assert only_data.count('data-testid="issue"') == 1 and "About data" in only_data
    csv_rows = rows_of(
        client.get(programme_url("themes:register_csv", programme), {"status": "closed"})
    )
    assert [row[0] for row in csv_rows[1:]] == ["Closed one"]
    none = page_text(client.get(url, {"system": "language"}))
    assert "No issues match." in none
    keeps_filter = client.get(url, {"status": "open"}).content.decode()
    assert "status=open&amp;page=2" in keeps_filter


@pytest.mark.django_db
def test_an_issue_opened_from_a_session_records_progress_at_that_session(
    client, programme, people, issue
):
    second = programme.group_sessions_planned.get(sequence=2)
    client.force_login(people["coordinator"])
    opened = client.get(programme_url("themes:issue", programme, issue.pk) + f"?at={second.pk}")
    assert session_choices(opened) == [str(second.pk), str(second.pk)]  # action's and issue's
    plain = client.get(programme_url("themes:issue", programme, issue.pk))
    assert session_choices(plain) == ["", ""]
    hostile = client.get(programme_url("themes:issue", programme, issue.pk) + "?at=" + "9" * 30)
    assert hostile.status_code == 200 and session_choices(hostile) == ["", ""]


def session_choices(response) -> list[str]:
    """The session each "Recorded at" choice starts at ("" for none)."""
    selects = re.findall(
        r'<select name="[^"]*session"[^>]*>(.*?)</select>', response.content.decode(), re.S
    )
    return [
        next(iter(re.findall(r'<option value="([^"]*)" selected', options)), "")
        for options in selects
    ]
