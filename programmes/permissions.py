"""Permissions inside one programme: the role table of the architecture guide, in one place.

A person's programme permissions follow their roles in it, plus an organisation admin's rights
over every programme. `requires` (organisations.permissions) asks the grantor registered here,
which loads `request.programme`, `request.programme_roles` and `request.programme_perms`.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from organisations.models import Membership, User
from organisations.permissions import (
    OrgPerm,
    View,
    register_gate,
    register_grantor,
    register_org_grant,
)
from organisations.roles import OrgRole, Role
from organisations.sign_in import register_confidential_roles

from .models import EthicsAcknowledgement, Programme, ProgrammeMember

PROGRAMME_URL_KWARG = "programme_id"


class Perm(StrEnum):
    VIEW_PROGRAMME = "programme.view"
    VIEW_SETUP = "programme.view_setup"
    EDIT_PROGRAMME = "programme.edit"
    SIGN_OFF = "programme.sign_off"
    # Selection notes, red flags and matching (which reads diversity data): coordinators only,
    # not even organisation admins.
    SELECT = "programme.select"
    # Reading the candidates' one-pagers side by side: coordinators, and the steering members
    # they ask to.
    REVIEW_CANDIDATES = "programme.review_candidates"
    TAKE_PART = "programme.take_part"
    # A steering member's own pairs and check-ins with them.
    LOOK_AFTER_PAIRS = "programme.look_after_pairs"
    # Survey results are aggregates for coordinators and executive sponsors only.
    SURVEY_RESULTS = "programme.survey_results"
    # Asking for supervision: participants about their pair, steering members about the pairs
    # they look after, coordinators about any pair.
    RAISE_REFERRAL = "programme.raise_referral"
    # Reading every referral and deciding where it goes: coordinators only (not even the
    # organisation admin: a referral's text is confidential).
    TRIAGE = "programme.triage"
    # A supervisor's caseload: the referrals assigned to them, their sessions and notes.
    SUPERVISE = "programme.supervise"
    # Running a combined group session: its agenda and who attended.
    FACILITATE = "programme.facilitate"
    # The pairs' shared themes and the recurring themes they form: coordinators, and the
    # supervisors who facilitate a combined session (the view checks which); never the
    # organisation admin, steering members or the executive (counts only, in the report).
    READ_THEMES = "programme.read_themes"
    # Grouping the shared themes, the sessions' agendas and their leads: coordinators only.
    GROUP_THEMES = "programme.group_themes"
    # The register of systemic issues: every role reads it (VIEW_PROGRAMME); coordinators keep it.
    KEEP_REGISTER = "programme.keep_register"
    # The organisation's hard measures (retention, promotion): organisation-level figures that
    # those who read the evaluation report read; coordinators record them.
    READ_MEASURES = "programme.read_measures"
    RECORD_MEASURES = "programme.record_measures"
    MANAGE_PEOPLE = "programme.manage_people"
    REQUEST_REPORT = "programme.request_report"


_READ = frozenset({Perm.VIEW_PROGRAMME})
_READ_SETUP = _READ | {Perm.VIEW_SETUP}
# Only the executive sponsor records the top team's sign-off; only participants take part; only
# steering members look after pairs.
_RUN = frozenset(Perm) - {Perm.SIGN_OFF, Perm.TAKE_PART, Perm.LOOK_AFTER_PAIRS, Perm.SUPERVISE}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.COORDINATOR: _RUN,
    Role.STEERING: _READ_SETUP | {Perm.LOOK_AFTER_PAIRS, Perm.RAISE_REFERRAL},
    Role.PARTICIPANT: _READ | {Perm.TAKE_PART, Perm.RAISE_REFERRAL},
    Role.SUPERVISOR: _READ_SETUP | {Perm.SUPERVISE, Perm.FACILITATE, Perm.READ_THEMES},
    Role.EXECUTIVE: _READ_SETUP
    | {Perm.REQUEST_REPORT, Perm.SIGN_OFF, Perm.SURVEY_RESULTS, Perm.READ_MEASURES},
}
ORG_ADMIN_PROGRAMME_PERMISSIONS: frozenset[Perm] = _RUN - {
    Perm.SELECT,
    Perm.REVIEW_CANDIDATES,
    Perm.SURVEY_RESULTS,
    Perm.RAISE_REFERRAL,
    Perm.TRIAGE,
    Perm.FACILITATE,
    Perm.READ_THEMES,
    Perm.GROUP_THEMES,
    Perm.KEEP_REGISTER,
    Perm.RECORD_MEASURES,
}
# A steering member the coordinator asked to review candidates.
REVIEWER_PERMISSIONS = frozenset({Perm.REVIEW_CANDIDATES})


def programme_permissions(
    membership: Membership, roles: Iterable[str], *, reviews_candidates: bool = False
) -> frozenset[Perm]:
    perms: set[Perm] = set()
    if membership.role == OrgRole.ADMIN:
        perms |= ORG_ADMIN_PROGRAMME_PERMISSIONS
    for role in roles:
        perms |= ROLE_PERMISSIONS[Role(role)]
    if reviews_candidates:
        perms |= REVIEWER_PERMISSIONS
    return frozenset(perms)


def member_permissions(
    programme: Programme, membership: Membership
) -> tuple[frozenset[str], frozenset[Perm]]:
    """(roles, permissions) of a member of the programme's organisation, in one query."""
    rows = list(
        ProgrammeMember.objects.filter(programme=programme, user=membership.user).values_list(
            "role", "reviews_candidates"
        )
    )
    return _roles_and_permissions(membership, rows)


def _roles_and_permissions(
    membership: Membership, rows: Iterable[tuple[str, bool]]
) -> tuple[frozenset[str], frozenset[Perm]]:
    rows = list(rows)
    roles = frozenset(role for role, _ in rows)
    reviewer = any(flag for role, flag in rows if role == Role.STEERING)
    return roles, programme_permissions(membership, roles, reviews_candidates=reviewer)


@dataclass(frozen=True)
class ProgrammeAccess:
    programme: Programme
    roles: frozenset[str]
    perms: frozenset[Perm]
    # Whether the person acknowledged the programme's current ethics statement.
    acknowledged_ethics: bool
    side: str = ""  # a participant's side ("senior" or "junior")


def programme_access(membership: Membership, programme_id: int) -> ProgrammeAccess:
    """The programme, the person's roles and permissions in it and whether they acknowledged its
    ground rules, in one query (two for an organisation admin who holds no role in it). 404 for
    a programme of another organisation."""
    organisation = membership.organisation
    rows = list(
        ProgrammeMember.objects.filter(
            programme__organisation=organisation, programme_id=programme_id, user=membership.user
        )
        .select_related("programme")
        .annotate(
            acknowledged=Exists(
                EthicsAcknowledgement.objects.filter(
                    programme=OuterRef("programme"),
                    user=OuterRef("user"),
                    version=OuterRef("programme__ethics_version"),
                )
            )
        )
    )
    if rows:
        programme = rows[0].programme
    else:
        programme = get_object_or_404(
            Programme.objects.filter(organisation=organisation), pk=programme_id
        )
    programme.organisation = organisation  # already at hand: views read it for free
    roles, perms = _roles_and_permissions(
        membership, ((row.role, row.reviews_candidates) for row in rows)
    )
    acknowledged = any(row.acknowledged for row in rows)
    side = next((row.side for row in rows if row.role == Role.PARTICIPANT), "")
    return ProgrammeAccess(programme, roles, perms, acknowledged_ethics=acknowledged, side=side)


def _programme_grantor(request: HttpRequest, kwargs: Mapping[str, Any]) -> frozenset[StrEnum]:
    if getattr(request, "programme", None) is None:
        access = programme_access(request.membership, kwargs[PROGRAMME_URL_KWARG])
        request.programme = access.programme
        request.programme_roles, request.programme_perms = access.roles, access.perms
        request.acknowledged_ethics = access.acknowledged_ethics
        request.programme_side = access.side
    return request.programme_perms


def coordinates_a_programme(membership: Membership) -> Iterable[OrgPerm]:
    """Whoever coordinates a programme may start another."""
    coordinates = ProgrammeMember.objects.filter(
        programme__organisation=membership.organisation,
        user=membership.user,
        role=Role.COORDINATOR,
    ).exists()
    return {OrgPerm.CREATE_PROGRAMME} if coordinates else set()


# The programme roles that read confidential data: what the organisation's two-factor
# requirement covers, besides its admins.
CONFIDENTIAL_ROLES = frozenset({Role.COORDINATOR, Role.SUPERVISOR})


def holds_a_confidential_role() -> Exists:
    """For each membership in a query of memberships: whether its person coordinates or
    supervises a programme of its organisation."""
    return Exists(
        ProgrammeMember.objects.with_scopes_disabled().filter(
            programme__organisation=OuterRef("organisation"),
            user=OuterRef("user"),
            role__in=CONFIDENTIAL_ROLES,
        )
    )


def before_ethics(view: View) -> View:
    """Mark a view a participant may use before acknowledging the ethics statement."""
    view.before_ethics = True  # type: ignore[attr-defined]
    return view


def owes_ethics(
    programme: Programme, user: User, roles: Iterable[str], *, acknowledged: bool | None = None
) -> bool:
    """Participants take part only once they have acknowledged the current ground rules
    (`acknowledged` when already known, e.g. from `programme_access`)."""
    if Role.PARTICIPANT not in roles or not programme.ethics_version:
        return False
    if acknowledged is not None:
        return not acknowledged
    return not EthicsAcknowledgement.objects.filter(
        programme=programme, user=user, version=programme.ethics_version
    ).exists()


def ethics_gate(request: HttpRequest, view: View) -> HttpResponse | None:
    programme = getattr(request, "programme", None)
    if programme is None or getattr(view, "before_ethics", False):
        return None
    acknowledged = getattr(request, "acknowledged_ethics", None)
    if owes_ethics(programme, request.user, request.programme_roles, acknowledged=acknowledged):
        return redirect(
            "programmes:ethics",
            org_slug=request.membership.organisation.slug,
            programme_id=programme.pk,
        )
    return None


def register() -> None:
    """Called from ProgrammesConfig.ready."""
    register_grantor(Perm, _programme_grantor)
    register_org_grant(coordinates_a_programme)
    register_gate(ethics_gate)
    register_confidential_roles(holds_a_confidential_role)
