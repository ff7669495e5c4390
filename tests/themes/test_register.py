"""The register of systemic issues: an issue opened from recurring themes keeps them as its
evidence, its actions have an owner, a due date, a status and a quick-win flag, and progress is
recorded at a session or between."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programmes.models import GroupSession
from themes.models import (
    ActionStatus,
    IssueProgress,
    IssueStatus,
    RecurringStatus,
    SystemicIssue,
)
from themes.selectors import register, register_figures
from themes.services import (
    ThemesError,
    action_add,
    action_update,
    issue_close,
    issue_open,
    issue_reopen,
    issue_update,
    progress_record,
)

from .. import factories
from .conftest import grouped, new_pair, shared

ISSUE = {
    "title": "Calibration is never recorded",
    "description": "Scores move after the panels.",
    "system": "promotion",
    "data_gaps": "Scores before and after calibration, by group.",
    "owner": None,
}


def open_issue(programme, by, *recurring, **fields):
    return issue_open(programme=programme, by=by, values={**ISSUE, **fields}, recurring=recurring)


def add_action(issue, owner, text="Minute every calibration", days=14, **fields):
    return action_add(
        issue=issue,
        values={
            "text": text,
            "owner": owner,
            "due": timezone.localdate() + timedelta(days=days),
            "quick_win": False,
            **fields,
        },
    )


@pytest.fixture
def recurring(programme, pair, other_pair):
    return grouped(
        programme, "Calibration", shared(pair), shared(pair, "Again"), shared(other_pair)
    )


@pytest.fixture
def issue(programme, coordinator, recurring):
    return open_issue(programme, coordinator, recurring)


@pytest.mark.django_db
def test_an_issue_opened_from_recurring_themes_keeps_them_and_counts_their_pairs(
    programme, coordinator, recurring
):
    other = grouped(programme, "Panels", shared(new_pair(programme), "Panels"))
    issue = open_issue(programme, coordinator, recurring, other, owner=coordinator)
    assert set(issue.recurring.all()) == {recurring, other}
    assert (issue.created_by, issue.owner, issue.status) == (coordinator, coordinator, "open")
    assert register(programme).get(pk=issue.pk).pairs == 3  # two pairs there, one here


@pytest.mark.django_db
def test_an_issue_needs_accepted_recurring_themes_of_its_programme(
    org, programme, coordinator, recurring
):
    with pytest.raises(ThemesError, match="at least one recurring theme"):
        open_issue(programme, coordinator)
    proposal = grouped(programme, "Proposed", shared(new_pair(programme), "P"))
    proposal.status = RecurringStatus.PROPOSED
    proposal.save()
    with pytest.raises(ThemesError, match="accepted recurring themes"):
        open_issue(programme, coordinator, proposal)
    elsewhere = factories.programme(org, name="Another")
    theirs = grouped(elsewhere, "Theirs", shared(new_pair(elsewhere), "T"))
    with pytest.raises(ThemesError, match="of this programme"):
        open_issue(programme, coordinator, recurring, theirs)
    assert not SystemicIssue.objects.exists()


@pytest.mark.django_db
def test_an_issue_is_changed_and_its_links_with_it(programme, coordinator, issue, recurring):
    other = grouped(programme, "Panels", shared(new_pair(programme), "Panels"))
    issue_update(
        issue=issue, values={**ISSUE, "title": "  Renamed  ", "system": "data"}, recurring=[other]
    )
    issue.refresh_from_db()
    assert (issue.title, issue.system) == ("Renamed", "data")
    assert list(issue.recurring.all()) == [other]


@pytest.mark.django_db
def test_actions_have_an_owner_a_due_date_a_status_and_a_quick_win_flag(issue, people):
    action = add_action(issue, people["senior"], quick_win=True)
    assert (action.owner, action.status, action.quick_win) == (
        people["senior"],
        ActionStatus.TODO,
        True,
    )
    assert action.due == timezone.localdate() + timedelta(days=14) and action.is_open


@pytest.mark.django_db
def test_the_owner_moves_their_action_on_and_the_progress_says_so(
    programme, issue, people, session
):
    action = add_action(issue, people["senior"])
    action_update(
        action=action, by=people["senior"], status="done", note="Minutes from May.", session=session
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.done_at is not None
    entry = IssueProgress.objects.get()
    assert entry.text == "Minute every calibration: done. Minutes from May."
    assert (entry.action, entry.session, entry.by) == (action, session, people["senior"])
    action_update(action=action, by=people["senior"], status="doing")
    action.refresh_from_db()
    assert action.done_at is None and not action.quick_win


@pytest.mark.django_db
def test_only_the_owner_or_the_keeper_of_the_register_moves_an_action(issue, people):
    action = add_action(issue, people["senior"])
    for someone in ("junior", "steering", "org_admin"):
        with pytest.raises(ThemesError, match="owner or the coordinator"):
            action_update(action=action, by=people[someone], status="done")
    action_update(action=action, by=people["coordinator"], status="dropped", keeper=True)
    action.refresh_from_db()
    assert action.status == ActionStatus.DROPPED


@pytest.mark.django_db
def test_a_note_without_a_change_of_status_is_progress_and_nothing_at_all_is_nothing(issue, people):
    action = add_action(issue, people["senior"])
    action_update(action=action, by=people["senior"], status="todo", note="  Asked HR.  ")
    action_update(action=action, by=people["senior"], status="todo", note="   ")
    assert list(IssueProgress.objects.values_list("text", flat=True)) == ["Asked HR."]


@pytest.mark.django_db
def test_progress_is_recorded_at_a_session_of_the_programme_only(org, issue, people, session):
    entry = progress_record(
        issue=issue, by=people["coordinator"], text=" HR agreed. ", session=session
    )
    assert (entry.text, entry.session) == ("HR agreed.", session)
    elsewhere = factories.programme(org, name="Another")
    theirs = GroupSession.objects.filter(programme=elsewhere).first()
    with pytest.raises(ThemesError, match="session of this programme"):
        progress_record(issue=issue, by=people["coordinator"], text="Wrong", session=theirs)
    with pytest.raises(ThemesError, match="Write what progress"):
        progress_record(issue=issue, by=people["coordinator"], text="  ")
    assert IssueProgress.objects.count() == 1


@pytest.mark.django_db
def test_an_issue_closes_with_what_became_of_it_and_reopens(issue, people):
    with pytest.raises(ThemesError, match="Say what became of it"):
        issue_close(issue=issue, by=people["coordinator"], note="  ")
    issue_close(issue=issue, by=people["coordinator"], note="Calibration is minuted now.")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED and issue.closed_at is not None
    assert IssueProgress.objects.get().text == "Closed: Calibration is minuted now."
    with pytest.raises(ThemesError, match="Reopen the issue"):
        add_action(issue, people["senior"])
    issue_reopen(issue=issue)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN and issue.closed_at is None
    add_action(issue, people["senior"])


@pytest.mark.django_db
def test_the_register_in_figures_for_the_evaluation_report(programme, issue, people):
    add_action(issue, people["senior"], quick_win=True)
    done = add_action(issue, people["senior"], text="Done one", quick_win=True)
    action_update(action=done, by=people["senior"], status="done")
    dropped = add_action(issue, people["senior"], text="Dropped one")
    action_update(action=dropped, by=people["senior"], status="dropped")
    figures = register_figures(programme)
    assert (figures.issues, figures.open_issues, figures.actions) == (1, 1, 3)
    assert (figures.done, figures.quick_wins_done, figures.open_actions) == (1, 1, 1)
