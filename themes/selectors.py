"""Reads for themes. A pair reaches its own themes; the coordinator and the sessions'
facilitators the shared ones (never with the pair's names unless the pair named itself); anyone
in the programme the register."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, Count, Expression, F, Prefetch, Q, QuerySet, When

from organisations.models import User
from organisations.querysets import aggregate_together
from pairs.models import Pair
from programmes.models import GroupSession, Programme, ProgrammeMember
from supervision.models import Attendance, GroupSupervision

from .models import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    AgendaItem,
    GroupingRun,
    IssueAction,
    IssueProgress,
    IssueStatus,
    LeadOffer,
    RecurringStatus,
    RecurringTheme,
    SystemicIssue,
    Theme,
    ThemeAnalysis,
    ThemeConsent,
)

SHARED = Q(themes__shared_at__isnull=False)
OPEN_FIRST = Case(When(status=IssueStatus.OPEN, then=0), default=1)


def themes_of_pair(pair: Pair) -> QuerySet[Theme]:
    """The pair's own themes, drafts and shared, with who has agreed to share each."""
    return (
        Theme.objects.filter(pair=pair)
        .select_related("recurring", "added_by")
        .prefetch_related(
            Prefetch("consents", queryset=ThemeConsent.objects.all()),
            Prefetch(
                "recurring__agenda_items",
                queryset=AgendaItem.objects.select_related("session").order_by("session__date"),
            ),
            Prefetch("recurring__issues", queryset=SystemicIssue.objects.only("pk", "title")),
        )
    )


def shared_themes(programme: Programme) -> QuerySet[Theme]:
    return (
        Theme.objects.filter(pair__programme=programme, shared_at__isnull=False)
        .select_related("pair__senior", "pair__junior", "recurring")
        .order_by("recurring__title", "-shared_at", "pk")
    )


def recurring_themes(programme: Programme, *, status: str = "") -> QuerySet[RecurringTheme]:
    """Each with how many pairs raised it (never which), most pairs first."""
    found = RecurringTheme.objects.filter(programme=programme)
    if status:
        found = found.filter(status=status)
    return found.annotate(
        pairs=Count("themes__pair", filter=SHARED, distinct=True),
        theme_count=Count("themes", filter=SHARED, distinct=True),
        quick_wins=Count("themes", filter=SHARED & Q(themes__quick_win=True), distinct=True),
    ).order_by("-pairs", "title", "pk")


def accepted_recurring(programme: Programme) -> QuerySet[RecurringTheme]:
    return recurring_themes(programme, status=RecurringStatus.ACCEPTED)


def latest_grouping_run(programme: Programme) -> GroupingRun | None:
    return GroupingRun.objects.filter(programme=programme).first()


def facilitates(programme: Programme, user: User) -> bool:
    """Whether this person facilitates one of the programme's combined sessions."""
    return GroupSupervision.objects.filter(
        session__programme=programme, facilitator__user=user
    ).exists()


def agenda(session: GroupSession) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(session=session).select_related("recurring", "lead")


def agenda_and_analysis(session: GroupSession) -> tuple[list[AgendaItem], datetime | None]:
    """The session's agenda with who volunteered to lead each item, and when its analysis went
    out (None before): read with the agenda's rows, or on its own when there are none (and so no
    volunteers to read either), two queries in all."""
    items = list(
        agenda(session)
        .annotate(analysis_sent_at=F("session__theme_analysis__sent_at"))
        .prefetch_related(Prefetch("offers", queryset=LeadOffer.objects.select_related("user")))
    )
    if items:
        return items, items[0].analysis_sent_at
    sent = ThemeAnalysis.objects.filter(session=session).values_list("sent_at", flat=True)
    return items, sent.first()


def invited(session: GroupSession) -> QuerySet[Attendance]:
    return Attendance.objects.filter(session=session).select_related("user")


def is_invited(session: GroupSession, user: User) -> bool:
    return Attendance.objects.filter(session=session, user=user).exists()


def members_of(programme: Programme) -> QuerySet[User]:
    """Who may own an issue or an action: anyone with a role in the programme."""
    ids = ProgrammeMember.objects.filter(programme=programme).values("user")
    return User.objects.filter(pk__in=ids).order_by("full_name", "email")


def register(
    programme: Programme, *, status: str = "", system: str = ""
) -> QuerySet[SystemicIssue]:
    """The issues, open first, each with its evidence (how many pairs raised its themes) and its
    actions."""
    issues = SystemicIssue.objects.filter(programme=programme)
    if status:
        issues = issues.filter(status=status)
    if system:
        issues = issues.filter(system=system)
    return (
        issues.select_related("owner")
        .annotate(
            pairs=Count(
                "recurring__themes__pair",
                filter=Q(recurring__themes__shared_at__isnull=False),
                distinct=True,
            )
        )
        .prefetch_related(
            Prefetch("actions", queryset=IssueAction.objects.select_related("owner")),
            Prefetch("recurring", queryset=RecurringTheme.objects.only("pk", "title")),
        )
        .order_by(OPEN_FIRST, "-created_at", "pk")
    )


def progress_of(issue: SystemicIssue) -> QuerySet[IssueProgress]:
    return IssueProgress.objects.filter(issue=issue).select_related("by", "action", "session")


@dataclass(frozen=True)
class ActionLine:
    """An action, as a list of the open issues shows it."""

    text: str
    owner: str
    due: date
    status: ActionStatus
    quick_win: bool

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


@dataclass(frozen=True)
class OpenIssue:
    pk: int
    title: str
    owner: str
    actions: list[ActionLine]


def _name(full_name: str | None, email: str | None) -> str:
    """A person as User.__str__ names them; "" for nobody."""
    return full_name or email or ""


def open_issues(programme: Programme) -> list[OpenIssue]:
    """The open issues, newest first, each with its actions (by due date), in one query: the
    actions LEFT JOINed, a row each, and an issue without any a row of its own."""
    rows = (
        SystemicIssue.objects.filter(programme=programme, status=IssueStatus.OPEN)
        .order_by("-created_at", "pk", "actions__due", "actions__pk")
        .values_list(
            "pk",
            "title",
            "owner__full_name",
            "owner__email",
            "actions__pk",
            "actions__text",
            "actions__owner__full_name",
            "actions__owner__email",
            "actions__due",
            "actions__status",
            "actions__quick_win",
        )
    )
    issues: dict[int, OpenIssue] = {}
    for pk, title, owner, owner_email, action, text, by, by_email, due, status, quick in rows:
        issue = issues.setdefault(pk, OpenIssue(pk, title, _name(owner, owner_email), []))
        if action is not None:
            line = ActionLine(text, _name(by, by_email), due, ActionStatus(status), quick)
            issue.actions.append(line)
    return list(issues.values())


def overdue_actions(today: date | Expression) -> QuerySet[IssueAction]:
    """Open actions of open issues past their date (`today` may be each organisation's own, as
    an expression), in the organisations the scope allows."""
    return IssueAction.objects.filter(
        issue__status=IssueStatus.OPEN,
        status__in=OPEN_ACTION_STATUSES,
        due__lt=today,
        owner__isnull=False,
    ).select_related("issue__programme")


@dataclass(frozen=True)
class RegisterFigures:
    """For the evaluation report: what the register holds, in counts."""

    issues: int
    open_issues: int
    actions: int
    done: int
    quick_wins_done: int
    open_actions: int


REGISTER = "register_"  # how the register's figures are named among a page's other figures


def register_figure_parts(programme: Programme) -> list[tuple[QuerySet, dict[str, Count]]]:
    """The register's figures as aggregate_together's parts (named with REGISTER before each),
    for a page that reads other figures in the same query."""
    done = Q(status=ActionStatus.DONE)
    issues = {"issues": Count("pk"), "open_issues": Count("pk", filter=Q(status=IssueStatus.OPEN))}
    actions = {
        "actions": Count("pk"),
        "done": Count("pk", filter=done),
        "quick_wins_done": Count("pk", filter=done & Q(quick_win=True)),
        "open_actions": Count("pk", filter=Q(status__in=OPEN_ACTION_STATUSES)),
    }
    return [
        (
            SystemicIssue.objects.filter(programme=programme),
            {REGISTER + name: count for name, count in issues.items()},
        ),
        (
            IssueAction.objects.filter(issue__programme=programme),
            {REGISTER + name: count for name, count in actions.items()},
        ),
    ]


def register_figures_from(figures: dict[str, int]) -> RegisterFigures:
    return RegisterFigures(
        **{
            name.removeprefix(REGISTER): value
            for name, value in figures.items()
            if name.startswith(REGISTER)
        }
    )


def register_figures(programme: Programme) -> RegisterFigures:
    """In one query, over the issues and their actions."""
    return register_figures_from(aggregate_together(*register_figure_parts(programme)))
