"""Which pairs a person may ask for supervision about, and in which of their roles."""

from collections.abc import Iterable

from django.db.models import Q

from organisations.models import User
from organisations.roles import Role
from pairs.models import Pair
from programmes.models import Programme

from .selectors import active_pairs


def referable_pairs(
    programme: Programme, user: User, roles: Iterable[str]
) -> list[tuple[Pair, str]]:
    """(pair, the role they raise it in): any active pair for a coordinator, the pairs a steering
    member looks after, a participant's own."""
    roles = set(roles)
    pairs = active_pairs(programme)
    if Role.COORDINATOR in roles:
        return [(pair, Role.COORDINATOR) for pair in pairs.order_by("senior__full_name")]
    found: list[tuple[Pair, str]] = []
    if Role.STEERING in roles:
        found += [(pair, Role.STEERING) for pair in pairs.filter(steering_member=user)]
    if Role.PARTICIPANT in roles:
        own = pairs.filter(Q(senior__user=user) | Q(junior__user=user))
        found += [(pair, Role.PARTICIPANT) for pair in own]
    return found
