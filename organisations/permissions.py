"""Who may do what. Every tenant view declares the permission it needs; the checks all live here.

Organisation-level permissions follow the person's membership; programme-level permissions follow
their roles in that programme, plus the organisation admin's rights over every programme. The tenant
middleware has already answered 404 for non-members; `requires` answers 403 for a wrong role.
"""

from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from .models import Membership
from .roles import OrgRole, Role

if TYPE_CHECKING:
    from programmes.models import Programme


class OrgPerm(StrEnum):
    VIEW = "org.view"
    MANAGE_MEMBERS = "org.manage_members"
    CREATE_PROGRAMME = "org.create_programme"


class Perm(StrEnum):
    """Permissions inside one programme (the role table in the architecture guide)."""

    VIEW_PROGRAMME = "programme.view"
    VIEW_SETUP = "programme.view_setup"
    EDIT_PROGRAMME = "programme.edit"
    SIGN_OFF = "programme.sign_off"
    # Selection notes, red flags and matching (which reads diversity data): coordinators only,
    # not even organisation admins.
    SELECT = "programme.select"
    TAKE_PART = "programme.take_part"
    # Survey results are aggregates for coordinators and executive sponsors only.
    SURVEY_RESULTS = "programme.survey_results"
    MANAGE_PEOPLE = "programme.manage_people"
    REQUEST_REPORT = "programme.request_report"


_READ = frozenset({Perm.VIEW_PROGRAMME})
_READ_SETUP = _READ | {Perm.VIEW_SETUP}
# Only the executive sponsor records the top team's sign-off.
_RUN = frozenset(Perm) - {Perm.SIGN_OFF, Perm.TAKE_PART}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.COORDINATOR: _RUN,
    Role.STEERING: _READ_SETUP,
    Role.PARTICIPANT: _READ | {Perm.TAKE_PART},
    Role.SUPERVISOR: _READ_SETUP,
    Role.EXECUTIVE: _READ_SETUP | {Perm.REQUEST_REPORT, Perm.SIGN_OFF, Perm.SURVEY_RESULTS},
}
ORG_ADMIN_PROGRAMME_PERMISSIONS: frozenset[Perm] = _RUN - {Perm.SELECT, Perm.SURVEY_RESULTS}


def org_permissions(membership: Membership, *, coordinates_a_programme: bool) -> frozenset[OrgPerm]:
    if membership.role == OrgRole.ADMIN:
        return frozenset(OrgPerm)
    if coordinates_a_programme:
        return frozenset({OrgPerm.VIEW, OrgPerm.CREATE_PROGRAMME})
    return frozenset({OrgPerm.VIEW})


def programme_permissions(membership: Membership, roles: Iterable[str]) -> frozenset[Perm]:
    perms: set[Perm] = set()
    if membership.role == OrgRole.ADMIN:
        perms |= ORG_ADMIN_PROGRAMME_PERMISSIONS
    for role in roles:
        perms |= ROLE_PERMISSIONS[Role(role)]
    return frozenset(perms)


View = Callable[..., HttpResponse]
PROGRAMME_URL_KWARG = "programme_id"


def requires(perm: OrgPerm | Perm, *, before_ethics: bool = False) -> Callable[[View], View]:
    """Declare what a tenant view needs. Programme permissions load `request.programme`.

    A participant who has not acknowledged the programme's current ethics statement is sent to
    it first; only views marked `before_ethics` (the statement itself) let them through.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            membership = getattr(request, "membership", None)
            if membership is None:
                raise Http404
            granted: frozenset[OrgPerm] | frozenset[Perm]
            if isinstance(perm, Perm):
                _load_programme(request, membership, kwargs[PROGRAMME_URL_KWARG])
                granted = request.programme_perms
            else:
                request.org_perms = org_permissions(
                    membership,
                    coordinates_a_programme=_coordinates_a_programme(request, membership),
                )
                granted = request.org_perms
            if perm not in granted:
                raise PermissionDenied
            if (
                isinstance(perm, Perm)
                and not before_ethics
                and owes_ethics(request.programme, request.user, request.programme_roles)
            ):
                return redirect(
                    "programmes:ethics",
                    org_slug=membership.organisation.slug,
                    programme_id=request.programme.pk,
                )
            return view(request, *args, **kwargs)

        wrapped.required_permission = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


def owes_ethics(programme: "Programme", user: object, roles: Iterable[str]) -> bool:
    """Participants take part only once they have acknowledged the current ground rules."""
    from programmes.selectors import has_acknowledged

    if Role.PARTICIPANT not in roles or not programme.ethics_version:
        return False
    return not has_acknowledged(programme, user)


def _coordinates_a_programme(request: HttpRequest, membership: Membership) -> bool:
    from programmes.models import ProgrammeMember

    return ProgrammeMember.objects.filter(
        programme__organisation=membership.organisation, user=request.user, role=Role.COORDINATOR
    ).exists()


def _load_programme(request: HttpRequest, membership: Membership, programme_id: object) -> None:
    from programmes.models import Programme, ProgrammeMember

    programme = get_object_or_404(
        Programme.objects.filter(organisation=membership.organisation), pk=programme_id
    )
    roles = frozenset(
        ProgrammeMember.objects.filter(programme=programme, user=request.user).values_list(
            "role", flat=True
        )
    )
    request.programme = programme
    request.programme_roles = roles
    request.programme_perms = programme_permissions(membership, roles)
