from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Expression,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from organisations.models import User
from organisations.querysets import counted
from programmes.models import Programme

from .models import (
    KEEPS_ITS_PARTNERS,
    Agreement,
    ApplicationLink,
    CheckInStatus,
    Concern,
    ConcernAction,
    ConcernStatus,
    Decision,
    LearningGoal,
    Meeting,
    Pair,
    PairEvent,
    PairStatus,
    Profile,
    Pulse,
    Reflection,
    SelectionNote,
    SteeringCheckIn,
)


def profiles_of(programme: Programme, *, q: str = "", side: str = "", decision: str = ""):
    """The candidates, for coordinators; never with diversity data."""
    profiles = Profile.objects.filter(programme=programme).annotate(
        red_flags=Count("selection_notes", filter=~Q(selection_notes__red_flag=""))
    )
    if q:
        profiles = profiles.filter(
            Q(full_name__icontains=q) | Q(email__icontains=q) | Q(department__icontains=q)
        )
    if side:
        profiles = profiles.filter(side=side)
    if decision:
        profiles = profiles.filter(decision=decision)
    return profiles.order_by("side", "full_name", "pk")


def own_profile(programme: Programme, user: User) -> Profile | None:
    return (
        Profile.objects.filter(programme=programme, user=user).select_related("diversity").first()
    )


def selection_notes(profile: Profile) -> QuerySet[SelectionNote]:
    return SelectionNote.objects.filter(profile=profile).select_related("author")


def pairs_of(programme: Programme, status: str = "") -> QuerySet[Pair]:
    pairs = Pair.objects.filter(programme=programme).select_related("senior", "junior")
    if status:
        pairs = pairs.filter(status=status)
    return pairs.order_by("senior__full_name", "pk")


def pair_choices(programme: Programme) -> list[tuple[int, str]]:
    """The proposed pairs as a choice list names them ("Senior & Junior", as a pair prints),
    in one query however many there are, without making a pair of each."""
    names = pairs_of(programme, PairStatus.PROPOSED).values_list(
        "pk", "senior__full_name", "senior__email", "junior__full_name", "junior__email"
    )
    return [
        (pk, f"{senior_name or senior_email} & {junior_name or junior_email}")
        for pk, senior_name, senior_email, junior_name, junior_email in names
    ]


def unmatched(programme: Programme) -> Q:
    """A profile of `programme` that is selected and in no pair that keeps its partners (NOT IN
    those pairs' partners, which PostgreSQL reads once into a hash, not once a profile)."""
    current = Pair.objects.filter(programme=programme, status__in=KEEPS_ITS_PARTNERS)
    in_a_pair = Q(pk__in=current.values("senior_id")) | Q(pk__in=current.values("junior_id"))
    return Q(decision=Decision.SELECTED) & ~in_a_pair


def unmatched_selected(programme: Programme) -> QuerySet[Profile]:
    """Selected people free to be paired: in no proposed, active or completed pair."""
    return Profile.objects.filter(unmatched(programme), programme=programme).order_by(
        "side", "full_name"
    )


@dataclass(frozen=True)
class PublishCheck:
    """What publishing the matching would do now, and whether it may."""

    pairs: tuple[Pair, ...]
    not_joined: tuple[Profile, ...]  # partners whose invitation is not accepted yet

    @property
    def people(self) -> int:
        return 2 * len(self.pairs)

    @property
    def refusal(self) -> str:
        """Why publishing must wait, for the person asking; empty when it may go ahead."""
        if not self.pairs:
            return "There are no proposed pairs to publish. Run the matching first."
        if not self.not_joined:
            return ""
        names = [profile.full_name for profile in self.not_joined]
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return (
            f"{who} {'has' if len(names) == 1 else 'have'} not joined the organisation yet, so "
            "could not open their partnership page. Publishing waits until they accept their "
            "invitation, or until their pair is changed."
        )

    @property
    def key(self) -> str:
        """Which pairs, made of whom: what the coordinator confirmed, to compare with later."""
        return ",".join(f"{p.pk}:{p.senior_id}:{p.junior_id}" for p in self.pairs)


def publish_check(programme: Programme) -> PublishCheck:
    """The proposed pairs of selected people, which publishing makes active, and who among
    them has not joined yet. The service refuses, and the confirmation page explains, from this."""
    pairs = tuple(
        Pair.objects.filter(
            programme=programme,
            status=PairStatus.PROPOSED,
            senior__decision=Decision.SELECTED,
            junior__decision=Decision.SELECTED,
        )
        .select_related("senior", "junior")
        .order_by("senior__full_name", "pk")
    )
    not_joined = tuple(
        profile
        for pair in pairs
        for profile in (pair.senior, pair.junior)
        if profile.user_id is None
    )
    return PublishCheck(pairs, not_joined)


def current_pair_of(programme: Programme, user: User) -> Pair | None:
    return (
        Pair.objects.filter(programme=programme, status=PairStatus.ACTIVE)
        .filter(Q(senior__user=user) | Q(junior__user=user))
        .select_related("senior", "junior")
        .first()
    )


def current_pair_of_request(request: HttpRequest) -> Pair | None:
    """current_pair_of the request's person and programme, looked up once however many of a
    page's panels ask for it. A request that changes the pair redirects, so it never goes
    stale."""
    if not hasattr(request, "current_pair"):
        request.current_pair = current_pair_of(request.programme, request.user)
    return request.current_pair


def application_link_of(programme: Programme) -> ApplicationLink | None:
    return ApplicationLink.objects.filter(programme=programme).first()


def pair_history(pair: Pair) -> QuerySet[PairEvent]:
    return PairEvent.objects.filter(pair=pair).select_related("by")


# --- Running the relationships -------------------------------------------------------------------

CURRENT_OR_PAST = [PairStatus.ACTIVE, PairStatus.COMPLETED, PairStatus.ENDED_EARLY]


def pair_figures() -> dict[str, Expression]:
    """What a pair's figures (meetings_count, last_meeting, ...) are, worked out from the rows
    they count: the expressions pair_figures_refresh writes, in a query of pairs."""
    meetings = Meeting.objects.filter(pair=OuterRef("pk"))
    checkins = SteeringCheckIn.objects.filter(pair=OuterRef("pk")).order_by("-date", "-pk")
    agreements = Agreement.objects.filter(pair=OuterRef("pk")).order_by("-version")
    agreed = agreements.filter(senior_confirmed_at__isnull=False, junior_confirmed_at__isnull=False)
    concerns = Concern.objects.filter(pair=OuterRef("pk"), status=ConcernStatus.OPEN)
    return {
        "meetings_count": counted(meetings, by="pair"),
        "last_meeting": Subquery(meetings.order_by("-date").values("date")[:1]),
        "checkins_count": counted(checkins, by="pair"),
        "last_checkin": Subquery(checkins.values("date")[:1]),
        "last_checkin_status": Coalesce(Subquery(checkins.values("status")[:1]), Value("")),
        "agreement_version": Subquery(agreements.values("version")[:1]),
        "agreed_version": Subquery(agreed.values("version")[:1]),
        "open_concerns": counted(concerns, by="pair"),
    }


def quiet(quiet_since: date | Expression) -> Q:
    """The rule for a quiet pair, given `last_meeting`: no meeting since `quiet_since` (a date,
    or an expression of each pair's), or none at all and published before it."""
    if isinstance(quiet_since, date):
        published_before = _published_before(quiet_since)
    else:
        published_before = Q(published_at__date__lt=quiet_since)
    return Q(last_meeting__lt=quiet_since) | (Q(last_meeting__isnull=True) & published_before)


def _published_before(day: date) -> Q:
    """Published on a local date before `day` (the organisation's, which the tenant pages make
    the current time zone), as the reminders count it; a comparison with local midnight spares
    the cast in every row's expression (a list's ranking repeats it in SELECT, WHERE, ORDER BY)."""
    return Q(published_at__lt=timezone.make_aware(datetime.combine(day, time())))


def published_pairs(programme: Programme) -> QuerySet[Pair]:
    """Every published pair, with its partners and steering member, and its figures (meetings,
    check-ins, agreement versions, open concerns) as the pair keeps them."""
    return Pair.objects.filter(programme=programme, status__in=CURRENT_OR_PAST).select_related(
        "senior", "junior", "steering_member"
    )


# What a list of pairs shows of the partners and the steering member (their names); the rest
# of a profile (one-pagers, traits) is neither read nor compiled into the query.
LISTED_PEOPLE = (
    *(
        f"{side}__{name}"
        for side in ("senior", "junior")
        for name in ("full_name", "email", "user")
    ),
    "steering_member__full_name",
    "steering_member__email",
)


def _quiet_and_active(programme: Programme, today: date) -> Q:
    return Q(status=PairStatus.ACTIVE) & quiet(today - timedelta(weeks=programme.quiet_weeks))


QUIET_WEIGHT = 2


# A pair of `pairs_with_figures` whose `attention` is above nought: something standing, or
# quiet (its own annotation, not the quiet rule resolved a second time).
NEEDING_ATTENTION = Q(standing_attention__gt=0) | Q(is_quiet=True)


def pairs_with_figures(programme: Programme, today: date) -> QuerySet[Pair]:
    """Every published pair with what the coordinator's dashboard shows, in a fixed number of
    queries however many pairs there are. `attention` ranks who needs help first: the pair's
    standing attention (`standing_attention_rules`) and the weight of being quiet."""
    own_fields = [field.name for field in Pair._meta.concrete_fields]
    return (
        published_pairs(programme)
        .only(*own_fields, *LISTED_PEOPLE)
        .annotate(
            is_quiet=Case(
                When(_quiet_and_active(programme, today), then=Value(True)), default=Value(False)
            )
        )
        # only to rank by: PairRow says why in words
        .alias(
            attention=F("standing_attention")
            + Case(When(is_quiet=True, then=QUIET_WEIGHT), default=0)
        )
    )


# The pair's own fields that PairRow's attention reasons read.
REASONS_READ = (
    "status",
    "open_concerns",
    "pulse_flags",
    "last_checkin_status",
    "last_meeting",
    "agreement_version",
    "agreed_version",
)


@dataclass(frozen=True)
class PairRow:
    """A pair of `pairs_with_figures`, with what its figures say in words."""

    pair: Pair

    @property
    def has_agreement(self) -> bool:
        return self.pair.agreement_version is not None

    @property
    def agreed(self) -> bool:
        return self.has_agreement and self.pair.agreed_version == self.pair.agreement_version

    @property
    def agreement_status(self) -> str:
        if not self.has_agreement:
            return "none yet"
        return "agreed" if self.agreed else "awaiting confirmation"

    @property
    def last_checkin_label(self) -> str:
        status = self.pair.last_checkin_status
        return CheckInStatus(status).label if status else ""

    @property
    def attention_reasons(self) -> list[str]:
        """Why the pair needs attention, in words, in the order `attention` weighs them: none
        exactly when its `attention` is nought."""
        pair, active = self.pair, self.pair.status == PairStatus.ACTIVE
        reasons = []
        if pair.open_concerns:
            reasons.append(
                f"{pair.open_concerns} open concern{'s' if pair.open_concerns != 1 else ''}"
            )
        if active:
            reasons += [f"⚑ {flag}" for flag in pair.pulse_flags]
        if active and pair.last_checkin_status in (
            CheckInStatus.AT_RISK,
            CheckInStatus.NEEDS_SUPPORT,
        ):
            reasons.append(f"Steering check-in: {self.last_checkin_label.lower()}")
        if pair.is_quiet:
            reasons.append(
                f"No meeting since {pair.last_meeting:%-d %b %Y}"
                if pair.last_meeting
                else "No meeting logged yet"
            )
        if active and not self.has_agreement:
            reasons.append("No agreement yet")
        elif active and not self.agreed:
            reasons.append("Agreement awaiting confirmation")
        return reasons


DASHBOARD_SORTS = {
    "attention": ("-attention", "senior__full_name"),
    "last_meeting": (F("last_meeting").asc(nulls_first=True), "senior__full_name"),
    "meetings": ("meetings_count", "senior__full_name"),
    "checkin": (F("last_checkin").asc(nulls_first=True), "senior__full_name"),
    "name": ("senior__full_name", "pk"),
}


def dashboard_pairs(
    programme: Programme,
    today: date,
    *,
    status: str = "",
    steward: User | None = None,
    flagged: bool = False,
    sort: str = "attention",
) -> QuerySet[Pair]:
    pairs = pairs_with_figures(programme, today)
    if status:
        pairs = pairs.filter(status=status)
    if steward is not None:
        pairs = pairs.filter(steering_member=steward)
    if flagged:
        pairs = pairs.filter(NEEDING_ATTENTION)
    return pairs.order_by(*DASHBOARD_SORTS.get(sort, DASHBOARD_SORTS["attention"]), "pk")


def checkin_overdue(programme: Programme, today: date) -> Q:
    """A pair whose last steering check-in, or with none its publication, is longer ago than
    the programme's check-in interval."""
    due = today - timedelta(weeks=programme.checkin_weeks)
    return Q(last_checkin__lt=due) | (Q(last_checkin__isnull=True) & _published_before(due))


def steering_pairs(programme: Programme, user: User, today: date) -> QuerySet[Pair]:
    """The pairs a steering member looks after: names, agreement, meetings; nothing else; and
    whether their check-in is overdue (`checkin_overdue`)."""
    overdue = Case(
        When(checkin_overdue(programme, today), then=Value(True)),
        default=Value(False),  # never NULL, as a comparison with no check-in yet would be
        output_field=BooleanField(),
    )
    return (
        pairs_with_figures(programme, today)
        .filter(steering_member=user, status=PairStatus.ACTIVE)
        .annotate(checkin_overdue=overdue)
        .order_by("senior__full_name", "pk")
    )


def agreement_of(pair: Pair) -> Agreement | None:
    return Agreement.objects.filter(pair=pair).order_by("-version").first()


def meetings_of(pair: Pair) -> QuerySet[Meeting]:
    return Meeting.objects.filter(pair=pair).select_related("logged_by").order_by("-date", "-pk")


def meetings_with_own_notes(pair: Pair, user: User) -> QuerySet[Meeting]:
    """The pair's meetings, each with the person's own private reflection (`own_reflection`,
    "" when none) and whether they answered its pulse (`own_pulse`): one query."""
    mine = {"meeting": OuterRef("pk"), "author": user}
    return meetings_of(pair).annotate(
        own_reflection=Coalesce(
            Subquery(Reflection.objects.filter(**mine).values("text")[:1]),
            Value(""),
            output_field=TextField(),
        ),
        own_pulse=Exists(Pulse.objects.filter(**mine)),
    )


def own_reflections(pair: Pair, user: User) -> dict[int, str]:
    """The person's own private reflections on the pair's meetings, by meeting."""
    return dict(
        Reflection.objects.filter(meeting__pair=pair, author=user).values_list("meeting_id", "text")
    )


def own_pulsed_meetings(pair: Pair, user: User) -> set[int]:
    return set(Pulse.objects.filter(pair=pair, author=user).values_list("meeting_id", flat=True))


def goals_of(pair: Pair) -> QuerySet[LearningGoal]:
    return LearningGoal.objects.filter(pair=pair).select_related("owner")


def checkins_of(pair: Pair) -> QuerySet[SteeringCheckIn]:
    return SteeringCheckIn.objects.filter(pair=pair).select_related("by")


def concerns_of(pair: Pair) -> QuerySet[Concern]:
    return (
        Concern.objects.filter(pair=pair)
        .select_related("raised_by")
        .prefetch_related(Prefetch("actions", queryset=ConcernAction.objects.select_related("by")))
    )


def own_concerns(pair: Pair, user: User) -> QuerySet[Concern]:
    return concerns_of(pair).filter(raised_by=user)
