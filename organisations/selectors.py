from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import SimpleLazyObject

from .hooks import address_problems, invitations_described
from .models import Invitation, Membership, Organisation, User


def memberships_of(user: User) -> SimpleLazyObject:
    """A person's own memberships across organisations (their own data, so no scope applies)."""
    return SimpleLazyObject(
        lambda: list(
            Membership.objects.with_scopes_disabled()
            .filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name")
        )
    )


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation).select_related("user")


def open_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True
    ).select_related("invited_by")


def invitation_by_token(token: str) -> Invitation | None:
    """Looked up by its secret token, which is the invitee's only credential before they join."""
    return (
        Invitation.objects.with_scopes_disabled()
        .select_related("organisation")
        .filter(token=token)
        .first()
    )


def filter_people(people: QuerySet, *, q: str = "", role: str = "") -> QuerySet:
    """Narrow a queryset of rows with a `user` and a `role` by name or e-mail, and by role."""
    if q:
        people = people.filter(Q(user__full_name__icontains=q) | Q(user__email__icontains=q))
    if role:
        people = people.filter(role=role)
    return people


def invitation_purposes(invitations: Iterable[Invitation]) -> dict[int, str]:
    """What each invitation is for beyond joining the organisation, as the apps above say."""
    invitations = list(invitations)
    purposes = {invitation.pk: "" for invitation in invitations}
    for described in invitations_described.send(invitations=invitations):
        for invitation_id, phrase in described.items():
            purposes[invitation_id] += phrase
    return purposes


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    purpose: str
    email_problem: str


def open_invitation_rows(organisation: Organisation, limit: int) -> list[InvitationRow]:
    invitations = list(open_invitations(organisation)[:limit])
    purposes = invitation_purposes(invitations)
    problems = address_problems_of(organisation, [i.email for i in invitations])
    return [
        InvitationRow(invitation, purposes[invitation.pk], problems.get(invitation.email, ""))
        for invitation in invitations
    ]


@dataclass(frozen=True)
class PersonRow:
    """Someone in a list (a member, a programme role) with what is wrong with their address."""

    person: Any
    email_problem: str


def person_rows(organisation: Organisation, people: Iterable[Any]) -> list[PersonRow]:
    """`people` are rows with a `user`, such as memberships or programme roles."""
    people = list(people)
    problems = address_problems_of(organisation, [p.user.email for p in people])
    return [PersonRow(p, problems.get(p.user.email.lower(), "")) for p in people]


def address_problems_of(organisation: Organisation, addresses: Iterable[str]) -> dict[str, str]:
    """What the apps above know is wrong with these addresses (e.g. mail bounced)."""
    addresses = [address.lower() for address in addresses]
    problems: dict[str, str] = {}
    for found in address_problems.send(organisation=organisation, addresses=addresses):
        problems.update(found)
    return problems
