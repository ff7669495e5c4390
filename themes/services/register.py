"""The register of systemic issues: each opened from recurring themes, with an owner and actions,
and the progress recorded at the combined sessions or between them."""

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from organisations.models import User
from programmes.models import GroupSession, Programme

from ..models import (
    ActionStatus,
    IssueAction,
    IssueProgress,
    IssueStatus,
    RecurringStatus,
    RecurringTheme,
    SystemicIssue,
)
from .capture import ThemesError

ISSUE_FIELDS = ("title", "description", "system", "data_gaps", "owner")
ACTION_FIELDS = ("text", "owner", "due", "quick_win")


def _tidy(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _link(issue: SystemicIssue, recurring: Iterable[RecurringTheme]) -> None:
    chosen = list(recurring)
    if any(
        theme.programme_id != issue.programme_id or theme.status != RecurringStatus.ACCEPTED
        for theme in chosen
    ):
        raise ThemesError("Choose accepted recurring themes of this programme.")
    issue.recurring.set(chosen)


@transaction.atomic
def issue_open(
    *,
    programme: Programme,
    by: User,
    values: Mapping[str, object],
    recurring: Iterable[RecurringTheme],
) -> SystemicIssue:
    """An issue opened from one or more recurring themes; it keeps the link."""
    chosen = list(recurring)
    if not chosen:
        raise ThemesError("Open an issue from at least one recurring theme: it is the evidence.")
    issue = SystemicIssue.objects.create(
        programme=programme,
        created_by=by,
        **{field: _tidy(values[field]) for field in ISSUE_FIELDS},
    )
    _link(issue, chosen)
    return issue


@transaction.atomic
def issue_update(
    *, issue: SystemicIssue, values: Mapping[str, object], recurring: Iterable[RecurringTheme]
) -> SystemicIssue:
    for field in ISSUE_FIELDS:
        setattr(issue, field, _tidy(values[field]))
    issue.save()
    _link(issue, recurring)
    return issue


@transaction.atomic
def issue_close(*, issue: SystemicIssue, by: User, note: str) -> SystemicIssue:
    if not note.strip():
        raise ThemesError("Say what became of it: the steering group reads this.")
    issue.status, issue.closed_at = IssueStatus.CLOSED, timezone.now()
    issue.save(update_fields=["status", "closed_at"])
    IssueProgress.objects.create(issue=issue, by=by, text=f"Closed: {note.strip()}")
    return issue


def issue_reopen(*, issue: SystemicIssue) -> SystemicIssue:
    issue.status, issue.closed_at = IssueStatus.OPEN, None
    issue.save(update_fields=["status", "closed_at"])
    return issue


def action_add(*, issue: SystemicIssue, values: Mapping[str, object]) -> IssueAction:
    if issue.status != IssueStatus.OPEN:
        raise ThemesError("Reopen the issue to add actions to it.")
    return IssueAction.objects.create(
        issue=issue, **{field: _tidy(values[field]) for field in ACTION_FIELDS}
    )


@transaction.atomic
def action_update(
    *,
    action: IssueAction,
    by: User,
    status: str,
    note: str = "",
    session: GroupSession | None = None,
    keeper: bool = False,
) -> IssueAction:
    """The action's owner, or whoever keeps the register, moves it on; a note goes into the
    progress."""
    if not keeper and action.owner_id != by.pk:
        raise ThemesError("Only the action's owner or the coordinator moves it on.")
    status = ActionStatus(status)
    if status != action.status:
        action.status = status
        action.done_at = timezone.now() if status == ActionStatus.DONE else None
        action.save(update_fields=["status", "done_at"])
        text = f"{action.text}: {status.label.lower()}."
        progress_record(
            issue=action.issue,
            by=by,
            text=f"{text} {note.strip()}".strip(),
            action=action,
            session=session,
        )
    elif note.strip():
        progress_record(issue=action.issue, by=by, text=note, action=action, session=session)
    return action


def progress_record(
    *,
    issue: SystemicIssue,
    by: User,
    text: str,
    action: IssueAction | None = None,
    session: GroupSession | None = None,
) -> IssueProgress:
    if not text.strip():
        raise ThemesError("Write what progress was made.")
    if session is not None and session.programme_id != issue.programme_id:
        raise ThemesError("Choose a session of this programme.")
    return IssueProgress.objects.create(
        issue=issue, by=by, text=text.strip(), action=action, session=session
    )
