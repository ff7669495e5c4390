from django.http import HttpRequest
from django.utils import timezone

from .permissions import Perm
from .roles import Role
from .selectors import memberships_of


def tenant(request: HttpRequest) -> dict[str, object]:
    """The current organisation and, for the switcher, every organisation the person belongs to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": getattr(request, "membership", None),
        "my_memberships": memberships_of(user),
        "unread_notifications": _unread(request),
        # What the person may do in the current programme, e.g. `can.edit_programme`.
        "can": {
            perm.name.lower(): perm in getattr(request, "programme_perms", ()) for perm in Perm
        },
        "reviews_candidates": _reviews_candidates(request),
        "my_programme_roles": getattr(request, "programme_roles", frozenset()),
    }


def _unread(request: HttpRequest) -> int:
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return 0
    from programmes.selectors import unread_notification_count

    return unread_notification_count(organisation, request.user, timezone.now())


def _reviews_candidates(request: HttpRequest) -> bool:
    if Role.STEERING not in getattr(request, "programme_roles", ()):
        return False
    from pairs.selectors import reviews_candidates

    return reviews_candidates(request.programme, request.user)
