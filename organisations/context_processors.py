from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import memberships_of_request


def tenant(request: HttpRequest) -> dict[str, object]:
    """The current organisation and, for the switcher, every organisation the person belongs to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": getattr(request, "membership", None),
        "my_memberships": SimpleLazyObject(lambda: memberships_of_request(request)),
    }
