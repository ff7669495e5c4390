"""The report's systemic chapter: what the pairs' themes became in the organisation.

Recurring themes are given with how many pairs raised them, never which pair, and a count of
pairs smaller than the anonymity threshold is given only as "fewer than N". The register's
issues and actions are the organisation's own record and are given in full.
"""

from dataclasses import dataclass
from datetime import date

from programmes.models import GroupSession, Programme
from surveys.anonymity import effective_threshold
from themes.models import ActionStatus, IssueStatus, System, Theme
from themes.selectors import accepted_recurring, register

from . import sentences

SYSTEMS = dict(System.choices)


@dataclass(frozen=True)
class RecurringRow:
    title: str
    system: str
    pairs: int | None  # None: fewer than the threshold


@dataclass(frozen=True)
class ActionRow:
    text: str
    owner: str
    due: date
    status: str
    quick_win: bool
    overdue: bool


@dataclass(frozen=True)
class IssueRow:
    title: str
    system: str
    owner: str
    is_open: bool
    pairs: int | None  # the evidence: pairs behind its recurring themes; None below threshold
    data_gaps: str
    done: tuple[ActionRow, ...]
    remaining: tuple[ActionRow, ...]
    actions: int  # dropped ones too


@dataclass(frozen=True)
class SystemicFigures:
    threshold: int
    pairs_sharing: int | None
    shared_themes: int
    sessions_held: int
    recurring: tuple[RecurringRow, ...]
    issues: tuple[IssueRow, ...]
    open_issues: int
    actions: int
    actions_done: int
    quick_wins_done: int
    open_actions: int
    overdue_actions: int

    @property
    def story(self) -> list[str]:
        return sentences.systemic_story(self)


def _at_threshold(count: int, threshold: int) -> int | None:
    return count if count >= threshold else None


def _recurring_rows(programme: Programme, threshold: int) -> tuple[RecurringRow, ...]:
    """Most pairs first; those below the threshold after, by title, so their order tells
    nothing the hidden counts would."""
    rows = [
        RecurringRow(
            found.title, SYSTEMS.get(found.system, ""), _at_threshold(found.pairs, threshold)
        )
        for found in accepted_recurring(programme)
        if found.pairs
    ]
    shown = [row for row in rows if row.pairs is not None]
    hidden = sorted((row for row in rows if row.pairs is None), key=lambda row: row.title)
    return (*shown, *hidden)


def _action_row(action, today: date) -> ActionRow:
    return ActionRow(
        text=action.text,
        owner=str(action.owner) if action.owner else "nobody yet",
        due=action.due,
        status=action.get_status_display(),
        quick_win=action.quick_win,
        overdue=action.is_open and action.due < today,
    )


def _issue_rows(programme: Programme, threshold: int, today: date) -> tuple[IssueRow, ...]:
    rows = []
    for issue in register(programme):
        actions = list(issue.actions.all())
        done = tuple(_action_row(a, today) for a in actions if a.status == ActionStatus.DONE)
        remaining = tuple(_action_row(a, today) for a in actions if a.is_open)
        rows.append(
            IssueRow(
                title=issue.title,
                system=SYSTEMS.get(issue.system, ""),
                owner=str(issue.owner) if issue.owner else "nobody yet",
                is_open=issue.status == IssueStatus.OPEN,
                pairs=_at_threshold(issue.pairs, threshold),
                data_gaps=issue.data_gaps,
                done=done,
                remaining=remaining,
                actions=len(actions),
            )
        )
    return tuple(rows)


def systemic(programme: Programme, today: date) -> SystemicFigures | None:
    """None when the pairs shared no theme and the register is empty: no chapter then."""
    threshold = effective_threshold(programme.anonymity_threshold)
    shared = Theme.objects.filter(pair__programme=programme, shared_at__isnull=False)
    shared_themes = shared.count()
    issues = _issue_rows(programme, threshold, today)
    if not shared_themes and not issues:
        return None
    done = [action for issue in issues for action in issue.done]
    remaining = [action for issue in issues for action in issue.remaining]
    return SystemicFigures(
        threshold=threshold,
        pairs_sharing=_at_threshold(shared.values("pair").distinct().count(), threshold),
        shared_themes=shared_themes,
        sessions_held=GroupSession.objects.filter(programme=programme, date__lte=today).count(),
        recurring=_recurring_rows(programme, threshold),
        issues=issues,
        open_issues=sum(1 for issue in issues if issue.is_open),
        actions=sum(issue.actions for issue in issues),
        actions_done=len(done),
        quick_wins_done=sum(1 for action in done if action.quick_win),
        open_actions=len(remaining),
        overdue_actions=sum(1 for action in remaining if action.overdue),
    )
