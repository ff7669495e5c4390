from django.http import HttpRequest

from .permissions import Perm


def programme(request: HttpRequest) -> dict[str, object]:
    """What the person may do in the current programme (e.g. `can.edit_programme`) and their
    roles in it, for the programme's navigation."""
    perms = getattr(request, "programme_perms", frozenset())
    return {
        "can": {perm.name.lower(): perm in perms for perm in Perm},
        "my_programme_roles": getattr(request, "programme_roles", frozenset()),
    }
