"""Who may do what. Every tenant view declares what a GET needs and what a POST needs.

Permissions come in kinds, one enum each: the organisation's here, the programme's in
`programmes.permissions`. Each kind registers the function that says what a request is granted
(its grantor), and apps above may register gates that send a person elsewhere first (the ethics
statement does). The tenant middleware has already answered 404 for non-members; `requires`
answers 405 for a method the view does not take and 403 for a wrong role.
"""

from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed

from .models import Membership
from .roles import OrgRole


class OrgPerm(StrEnum):
    VIEW = "org.view"
    MANAGE_MEMBERS = "org.manage_members"
    CREATE_PROGRAMME = "org.create_programme"
    READ_AUDIT = "org.read_audit"
    MANAGE_DATA_PROTECTION = "org.manage_data_protection"
    # Two-factor requirement and single sign-on: organisation admins only.
    MANAGE_SIGN_IN = "org.manage_sign_in"


View = Callable[..., HttpResponse]
Grantor = Callable[[HttpRequest, Mapping[str, Any]], frozenset[StrEnum]]
Gate = Callable[[HttpRequest, View], HttpResponse | None]
OrgGrant = Callable[[Membership], Iterable[OrgPerm]]

_grantors: dict[type[StrEnum], Grantor] = {}
_gates: list[Gate] = []
_org_grants: list[OrgGrant] = []


def register_grantor(kind: type[StrEnum], grantor: Grantor) -> None:
    _grantors[kind] = grantor


def register_gate(gate: Gate) -> None:
    """A gate sees every permitted request before its view, and may answer in the view's place."""
    if gate not in _gates:
        _gates.append(gate)


def register_org_grant(grant: OrgGrant) -> None:
    """Organisation permissions that follow from what a member does in an app above (e.g.
    coordinating a programme lets them create one)."""
    if grant not in _org_grants:
        _org_grants.append(grant)


def org_permissions(membership: Membership) -> frozenset[OrgPerm]:
    if membership.role == OrgRole.ADMIN:
        return frozenset(OrgPerm)
    granted = {OrgPerm.VIEW}
    for grant in _org_grants:
        granted.update(grant(membership))
    return frozenset(granted)


def _org_grantor(request: HttpRequest, kwargs: Mapping[str, Any]) -> frozenset[StrEnum]:
    if getattr(request, "org_perms", None) is None:
        request.org_perms = org_permissions(request.membership)
    return request.org_perms


register_grantor(OrgPerm, _org_grantor)


def granted(request: HttpRequest, perm: StrEnum, kwargs: Mapping[str, Any]) -> bool:
    return perm in _grantors[type(perm)](request, kwargs)


def requires(get: StrEnum | None = None, *, post: StrEnum | None = None) -> Callable[[View], View]:
    """Declare what a tenant view needs: `get` for GET (and HEAD), `post` for POST. A method
    with nothing declared is not taken (405)."""
    needs = {"GET": get, "HEAD": get, "POST": post}

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if getattr(request, "membership", None) is None:
                raise Http404
            perm = needs.get(request.method or "")
            if perm is None:
                return HttpResponseNotAllowed([m for m in ("GET", "POST") if needs[m]])
            if not granted(request, perm, kwargs):
                raise PermissionDenied
            for gate in _gates:
                response = gate(request, view)
                if response is not None:
                    return response
            return view(request, *args, **kwargs)

        wrapped.required_permissions = {"GET": get, "POST": post}  # type: ignore[attr-defined]
        return wrapped

    return decorator
