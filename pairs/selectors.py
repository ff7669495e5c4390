from django.db.models import Count, Q, QuerySet

from organisations.models import User
from organisations.roles import Role
from programmes.models import Programme, ProgrammeMember

from .models import ApplicationLink, Pair, PairEvent, PairStatus, Profile, SelectionNote


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


def unmatched_selected(programme: Programme) -> QuerySet[Profile]:
    """Selected people in no proposed or active pair."""
    current = Pair.objects.filter(
        programme=programme, status__in=[PairStatus.PROPOSED, PairStatus.ACTIVE]
    )
    return (
        Profile.objects.filter(programme=programme, decision="selected")
        .exclude(pk__in=current.values("senior_id"))
        .exclude(pk__in=current.values("junior_id"))
        .order_by("side", "full_name")
    )


def current_pair_of(programme: Programme, user: User) -> Pair | None:
    return (
        Pair.objects.filter(programme=programme, status=PairStatus.ACTIVE)
        .filter(Q(senior__user=user) | Q(junior__user=user))
        .select_related("senior", "junior")
        .first()
    )


def reviews_candidates(programme: Programme, user: User) -> bool:
    """A steering-group member the coordinator asked to review the candidates."""
    return ProgrammeMember.objects.filter(
        programme=programme, user=user, role=Role.STEERING, reviews_candidates=True
    ).exists()


def application_link_of(programme: Programme) -> ApplicationLink | None:
    return ApplicationLink.objects.filter(programme=programme).first()


def pair_history(pair: Pair) -> QuerySet[PairEvent]:
    return PairEvent.objects.filter(pair=pair).select_related("by")
