from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from organisations.models import (
    Invitation,
    InvitationState,
    Membership,
    Organisation,
    User,
    invitation_state_q,
)
from organisations.querysets import aggregate_together
from organisations.roles import OrgRole, Role, Side
from organisations.selectors import address_problems_of

from .hooks import readiness_checks
from .models import (
    CalendarFeed,
    CommissioningSignOff,
    EthicsAcknowledgement,
    GroupSession,
    Programme,
    ProgrammeInvitation,
    ProgrammeMember,
    Resource,
    ResourceAudience,
    Stage,
    StageStatus,
    StageTask,
    SuccessMeasure,
    TaskStatus,
    TrainingAttendance,
    TrainingAudience,
    TrainingKind,
    TrainingSession,
)
from .readiness import Evidence, Readiness, assess, joined_and_invited, with_checks


def programmes_visible_to(membership: Membership) -> QuerySet[Programme]:
    """Admins see every programme of the organisation; others see those they hold a role in."""
    programmes = Programme.objects.filter(organisation=membership.organisation)
    if membership.role != OrgRole.ADMIN:
        programmes = programmes.filter(members__user=membership.user).distinct()
    return programmes


def programme_stages(programme: Programme) -> QuerySet[Stage]:
    return Stage.objects.filter(programme=programme).order_by("number")


def timeline_stages(programme: Programme, today: date) -> list[Stage]:
    """The programme's stages in order, with task counts and whether each is `overdue` as of
    `today` (not done, and past its planned end)."""
    return list(
        programme_stages(programme).annotate(
            task_count=Count("tasks"),
            tasks_done=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE)),
            tasks_overdue=Count(
                "tasks", filter=Q(tasks__due_date__lt=today) & ~Q(tasks__status=TaskStatus.DONE)
            ),
            overdue=ExpressionWrapper(
                Q(planned_end__lt=today) & ~Q(status=StageStatus.DONE),
                output_field=BooleanField(),
            ),
        )
    )


def current_stage(stages: list[Stage]) -> Stage | None:
    """The first stage not yet done, which is where the programme stands."""
    return next((stage for stage in stages if stage.status != "done"), None)


def stage_tasks(stage: Stage) -> QuerySet[StageTask]:
    return StageTask.objects.filter(stage=stage).select_related("responsible_user")


def group_sessions(programme: Programme) -> QuerySet[GroupSession]:
    return GroupSession.objects.filter(programme=programme).order_by("sequence")


def plan_tasks(
    programme: Programme,
    *,
    person: User | None = None,
    stage: int | None = None,
    status: str = "",
    overdue_on: date | None = None,
) -> QuerySet[StageTask]:
    """Every task across stages, filtered; `person` matches tasks they own in person or by role."""
    tasks = StageTask.objects.filter(programme=programme).select_related(
        "stage", "responsible_user"
    )
    if person is not None:
        roles = ProgrammeMember.objects.filter(programme=programme, user=person).values("role")
        tasks = tasks.filter(Q(responsible_user=person) | Q(responsible_role__in=roles))
    if stage:
        tasks = tasks.filter(stage__number=stage)
    if status:
        tasks = tasks.filter(status=status)
    if overdue_on is not None:
        tasks = tasks.filter(due_date__lt=overdue_on).exclude(status=TaskStatus.DONE)
    return tasks.order_by("due_date", "stage__number", "position", "pk")


def programme_people(programme: Programme) -> QuerySet[User]:
    """Everyone with a role in the programme, once each (for choosing who is responsible)."""
    return (
        User.objects.filter(programme_roles__programme=programme).distinct().order_by("full_name")
    )


def plan_people(programme: Programme) -> QuerySet[User]:
    """Whom the plan is filtered by: whoever holds a task in person, and everyone with a role
    other than participant; not the whole cohort (participants' tasks are given to their role,
    and six hundred names make a list nobody can use)."""
    holds_a_task = StageTask.objects.filter(programme=programme, responsible_user=OuterRef("pk"))
    runs_it = ProgrammeMember.objects.filter(programme=programme, user=OuterRef("pk")).exclude(
        role=Role.PARTICIPANT
    )
    return User.objects.filter(Exists(holds_a_task) | Exists(runs_it)).order_by("full_name")


def programme_members(programme: Programme) -> QuerySet[ProgrammeMember]:
    return ProgrammeMember.objects.filter(programme=programme).select_related("user")


def steering_group(programme: Programme) -> QuerySet[ProgrammeMember]:
    return (
        programme_members(programme)
        .filter(role=Role.STEERING)
        .order_by("-is_chair", "user__full_name")
    )


@dataclass(frozen=True)
class SteeringSize:
    members: int  # joined
    minimum: int
    maximum: int
    invited: int = 0  # invitations waiting for an answer
    expired: int = 0  # invitations nobody answered in time

    @property
    def summary(self) -> str:
        """E.g. "3 joined, 1 invited"."""
        return joined_and_invited(self.members, self.invited)

    @property
    def warning(self) -> str:
        has = f"{self.members} member{'s' if self.members != 1 else ''}"
        if self.invited:
            has += f" and {self.invited} invited"
        if self.members < self.minimum:
            return (
                f"The steering group has {has}; "
                f"at least {self.minimum} are needed to represent the stakeholders."
            )
        if self.members > self.maximum:
            return (
                f"The steering group has {has}; more than {self.maximum} "
                "risks making it bureaucratic."
            )
        return ""


def steering_size(programme: Programme) -> SteeringSize:
    members = ProgrammeMember.objects.filter(programme=programme, role=Role.STEERING).count()
    waiting = invitation_counts(programme_invitations(programme, role=Role.STEERING))
    return SteeringSize(
        members,
        programme.steering_min_size,
        programme.steering_max_size,
        invited=waiting[InvitationState.INVITED],
        expired=waiting[InvitationState.EXPIRED],
    )


# --- Invitations to the programme ---------------------------------------------------------------


def programme_invitations(
    programme: Programme, *, role: str = "", q: str = ""
) -> QuerySet[ProgrammeInvitation]:
    """Whom the programme invited (people not yet in the organisation), newest first, with
    whoever invited them and whoever joined by it; narrowed by role and by name or address."""
    invitations = ProgrammeInvitation.objects.filter(programme=programme)
    if role:
        invitations = invitations.filter(role=role)
    if q:
        invitations = invitations.filter(
            Q(invitation__full_name__icontains=q)
            | Q(invitation__email__icontains=q)
            | Q(invitation__accepted_by__full_name__icontains=q)
        )
    return invitations.select_related("invitation__invited_by", "invitation__accepted_by").order_by(
        "-invitation__created_at", "-pk"
    )


def invitations_in_state(
    invitations: QuerySet[ProgrammeInvitation], state: str
) -> QuerySet[ProgrammeInvitation]:
    if not state:
        return invitations
    return invitations.filter(invitation_state_q(state, now=timezone.now(), path="invitation__"))


def invitation_counts(invitations: QuerySet[ProgrammeInvitation]) -> dict[str, int]:
    """How many of these invitations stand in each state, in one query; "" counts them all."""
    now = timezone.now()
    counts = invitations.order_by().aggregate(
        **{
            state.value: Count("pk", filter=invitation_state_q(state, now=now, path="invitation__"))
            for state in InvitationState
        },
        all=Count("pk"),
    )
    return {"": counts.pop("all"), **{InvitationState(k): v for k, v in counts.items()}}


@dataclass(frozen=True)
class InvitationRow:
    """One invitation to the programme, with what is known to be wrong with its address."""

    promise: ProgrammeInvitation
    email_problem: str

    @property
    def invitation(self) -> Invitation:
        return self.promise.invitation

    @property
    def name(self) -> str:
        """Who joined by it, else whom it greets (it may greet nobody by name)."""
        joined = self.invitation.accepted_by
        return (joined.full_name if joined else "") or self.invitation.full_name


def invitation_rows(
    organisation: Organisation, promises: Iterable[ProgrammeInvitation]
) -> list[InvitationRow]:
    promises = list(promises)
    problems = address_problems_of(organisation, [p.invitation.email for p in promises])
    return [InvitationRow(p, problems.get(p.invitation.email.lower(), "")) for p in promises]


def success_measures(programme: Programme) -> QuerySet[SuccessMeasure]:
    return SuccessMeasure.objects.filter(programme=programme)


def sign_off_of(programme: Programme) -> CommissioningSignOff | None:
    return (
        CommissioningSignOff.objects.filter(programme=programme)
        .select_related("recorded_by")
        .first()
    )


def ethics_acknowledgements(programme: Programme) -> QuerySet[ProgrammeMember]:
    """The participants, each marked with whether and when they acknowledged the current text."""
    current = EthicsAcknowledgement.objects.filter(
        programme=programme, user=OuterRef("user"), version=programme.ethics_version
    )
    return (
        programme_members(programme)
        .filter(role=Role.PARTICIPANT)
        .annotate(
            acknowledged=Exists(current),
            acknowledged_at=current.values("acknowledged_at")[:1],
        )
        .order_by("acknowledged", "user__full_name")
    )


def has_acknowledged(programme: Programme, user: User) -> bool:
    return EthicsAcknowledgement.objects.filter(
        programme=programme, user=user, version=programme.ethics_version
    ).exists()


# --- Training ------------------------------------------------------------------------------------


def _side_of(programme: Programme, user: User) -> str:
    return (
        ProgrammeMember.objects.filter(programme=programme, user=user, role=Role.PARTICIPANT)
        .values_list("side", flat=True)
        .first()
        or ""
    )


def training_sessions(programme: Programme) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(programme=programme)
        .annotate(attended=Count("attendance"))
        .order_by("starts_at", "pk")
    )


def training_sessions_for(programme: Programme, user: User, sees_all: bool) -> QuerySet:
    """All sessions for those who run the programme; a participant's own side's and joint ones."""
    sessions = training_sessions(programme)
    if sees_all:
        return sessions
    side = _side_of(programme, user)
    audiences = [TrainingAudience.EVERYONE, *([side] if side else [])]
    return sessions.filter(audience__in=audiences)


def session_audience(session: TrainingSession) -> QuerySet[ProgrammeMember]:
    """The participants a training session is for, marked with whether they attended."""
    members = programme_members(session.programme).filter(role=Role.PARTICIPANT)
    if session.audience != TrainingAudience.EVERYONE:
        members = members.filter(side=session.audience)
    attended = TrainingAttendance.objects.filter(session=session, participant=OuterRef("user"))
    return members.annotate(attended=Exists(attended)).order_by("side", "user__full_name")


@dataclass(frozen=True)
class TrainingCompletion:
    completed: int
    participants: int


def initial_training_completion(programme: Programme) -> TrainingCompletion:
    """How many participants attended at least one initial training session."""
    participants = ProgrammeMember.objects.filter(programme=programme, role=Role.PARTICIPANT)
    attended = TrainingAttendance.objects.filter(
        session__programme=programme,
        session__kind=TrainingKind.INITIAL,
        participant=OuterRef("user"),
    )
    counts = participants.aggregate(
        total=Count("user", distinct=True),
        completed=Count("user", distinct=True, filter=Q(Exists(attended))),
    )
    return TrainingCompletion(counts["completed"], counts["total"])


# --- Resources -----------------------------------------------------------------------------------


def resources_for(programme: Programme, user: User, roles: frozenset[str], sees_all: bool):
    """The materials meant for this person: everyone's, plus their side's or their group's."""
    resources = Resource.objects.filter(programme=programme).select_related("added_by")
    if sees_all:
        return resources
    audiences = {ResourceAudience.EVERYONE}
    if Role.STEERING in roles:
        audiences.add(ResourceAudience.STEERING)
    side = _side_of(programme, user) if Role.PARTICIPANT in roles else ""
    if side == Side.SENIOR:
        audiences.add(ResourceAudience.SENIOR)
    elif side == Side.JUNIOR:
        audiences.add(ResourceAudience.JUNIOR)
    return resources.filter(audience__in=audiences)


# --- Readiness -----------------------------------------------------------------------------------


def readiness_evidence(programme: Programme, today: date) -> Evidence:
    """What the programme holds today, counted in a fixed handful of queries."""
    roles = ProgrammeMember.objects.filter(programme=programme).aggregate(
        steering=Count("pk", filter=Q(role=Role.STEERING)),
        steering_chair=Count("pk", filter=Q(role=Role.STEERING, is_chair=True)),
        steering_unrepresented=Count("pk", filter=Q(role=Role.STEERING, stakeholder_group="")),
        senior=Count("pk", filter=Q(role=Role.PARTICIPANT, side=Side.SENIOR)),
        junior=Count("pk", filter=Q(role=Role.PARTICIPANT, side=Side.JUNIOR)),
        supervisors=Count("pk", filter=Q(role=Role.SUPERVISOR)),
        coordinators=Count("pk", filter=Q(role=Role.COORDINATOR)),
        executives=Count("pk", filter=Q(role=Role.EXECUTIVE)),
        acknowledged=Count(
            "pk",
            filter=Q(
                role=Role.PARTICIPANT,
                user__in=EthicsAcknowledgement.objects.filter(
                    programme=programme, version=programme.ethics_version
                ).values("user"),
            ),
        ),
    )
    tasks = StageTask.objects.filter(programme=programme).aggregate(
        total=Count("pk"),
        unowned=Count("pk", filter=Q(responsible_user__isnull=True, responsible_role="")),
        overdue=Count("pk", filter=Q(due_date__lt=today) & ~Q(status=TaskStatus.DONE)),
        measurement_unowned=Count(
            "pk",
            filter=Q(stage__number__in=(7, 10), responsible_user__isnull=True, responsible_role=""),
        ),
    )
    held = _held_for_readiness(programme)
    initial = {audience: held[f"initial_{audience}"] for audience in TrainingAudience.values}
    return Evidence(
        purpose_written=bool(programme.purpose.strip()),
        scope_written=bool(programme.scope.strip()),
        initiatives_linked=bool(programme.initiative_links.strip()),
        success_measures=held["success_measures"],
        signed_off=held["sign_offs"] > 0,
        steering_members=roles["steering"],
        steering_invited=invitation_counts(programme_invitations(programme, role=Role.STEERING))[
            InvitationState.INVITED
        ],
        steering_min=programme.steering_min_size,
        steering_max=programme.steering_max_size,
        steering_chair=roles["steering_chair"] > 0,
        steering_unrepresented=roles["steering_unrepresented"],
        initial_training_sessions=sum(initial.values()),
        initial_training_sides=frozenset(audience for audience, n in initial.items() if n),
        follow_up_sessions=held["follow_up_sessions"],
        selection_criteria_written=bool(programme.selection_criteria.strip()),
        planned_pairs=programme.planned_pairs,
        senior_participants=roles["senior"],
        junior_participants=roles["junior"],
        supervisors=roles["supervisors"],
        group_sessions=held["group_sessions"],
        measurement_tasks_unowned=tasks["measurement_unowned"],
        ethics_statement_set=programme.ethics_version > 0,
        participants=roles["senior"] + roles["junior"],
        participants_acknowledged=roles["acknowledged"],
        coordinators=roles["coordinators"],
        executives=roles["executives"],
        tasks=tasks["total"],
        tasks_unowned=tasks["unowned"],
        tasks_overdue=tasks["overdue"],
        resources=held["resources"],
    )


def _held_for_readiness(programme: Programme) -> dict[str, int]:
    """What else the readiness checks count, read in one query."""
    training = TrainingSession.objects.filter(programme=programme)
    initial = {
        f"initial_{audience}": Count("pk", filter=Q(kind=TrainingKind.INITIAL, audience=audience))
        for audience in TrainingAudience.values
    }
    follow_up = Count("pk", filter=Q(kind=TrainingKind.FOLLOW_UP))
    return aggregate_together(
        (SuccessMeasure.objects.filter(programme=programme), {"success_measures": Count("pk")}),
        (CommissioningSignOff.objects.filter(programme=programme), {"sign_offs": Count("pk")}),
        (training, {"follow_up_sessions": follow_up, **initial}),
        (GroupSession.objects.filter(programme=programme), {"group_sessions": Count("pk")}),
        (Resource.objects.filter(programme=programme), {"resources": Count("pk")}),
    )


def programme_readiness(programme: Programme, today: date) -> Readiness:
    added: dict[int, list] = {}
    for contributed in readiness_checks.send(programme=programme, today=today):
        for standard, checks in contributed.items():
            added.setdefault(standard, []).extend(checks)
    return with_checks(assess(readiness_evidence(programme, today)), added)


def programme_names(*, organisation: Organisation, ids: Collection[int]) -> dict[int, str]:
    """For organisations' hook: the names of these programmes of the organisation."""
    return dict(
        Programme.objects.filter(organisation=organisation, pk__in=ids).values_list("pk", "name")
    )


def calendar_feed_of(*, programme: Programme, user: User) -> CalendarFeed | None:
    """The person's secret calendar address for the programme, if they have asked for one."""
    return CalendarFeed.objects.filter(programme=programme, user=user).first()
