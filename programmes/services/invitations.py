"""Inviting people who are not yet in the organisation to a role in a programme."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from organisations.models import Invitation, Organisation, User
from organisations.roles import Role
from organisations.services import invitation_create, invitations_send

from ..hooks import participant_invitation_cancelled, participant_invited
from ..models import Programme, ProgrammeInvitation
from .programme import programme_member_add


@transaction.atomic
def programme_invitation_create(
    *,
    programme: Programme,
    email: str,
    invited_by: User,
    role: str,
    full_name: str = "",
    side: str = "",
    stakeholder_group: str = "",
) -> Invitation:
    """Invite someone to the organisation with a role in the programme, given on acceptance."""
    invitation = invitation_create(
        organisation=programme.organisation,
        email=email,
        full_name=full_name,
        invited_by=invited_by,
        send=False,
    )
    ProgrammeInvitation.objects.create(
        invitation=invitation,
        programme=programme,
        role=role,
        side=side if role == Role.PARTICIPANT else "",
        stakeholder_group=stakeholder_group if role == Role.STEERING else "",
    )
    invitations_send(invitations=[invitation])
    if role == Role.PARTICIPANT:
        participant_invited.send(
            programme=programme, email=invitation.email, side=side, full_name=full_name
        )
    return invitation


@dataclass(frozen=True)
class Invitee:
    email: str
    full_name: str
    side: str


@transaction.atomic
def participant_invitations_create(
    *, programme: Programme, invited_by: User, invitees: Sequence[Invitee]
) -> list[Invitation]:
    """Invite a whole cohort as participants at once, each e-mail recorded with the rest."""
    organisation: Organisation = programme.organisation
    invitations = Invitation.objects.bulk_create(
        Invitation(
            organisation=organisation,
            email=invitee.email.strip().lower(),
            full_name=invitee.full_name.strip(),
            invited_by=invited_by,
        )
        for invitee in invitees
    )
    ProgrammeInvitation.objects.bulk_create(
        ProgrammeInvitation(
            invitation=invitation, programme=programme, role=Role.PARTICIPANT, side=invitee.side
        )
        for invitation, invitee in zip(invitations, invitees, strict=True)
    )
    invitations_send(invitations=invitations)
    return invitations


def invitation_roles_give(*, invitation: Invitation, user: User) -> None:
    """On acceptance (organisations' hook): the programme role the invitation promised."""
    granted = ProgrammeInvitation.objects.filter(invitation=invitation).select_related("programme")
    for promise in granted:
        programme_member_add(
            programme=promise.programme,
            user=user,
            role=promise.role,
            side=promise.side,
            stakeholder_group=promise.stakeholder_group,
            granted_by=invitation.invited_by,
        )


def invitation_promise_withdraw(*, invitation: Invitation) -> None:
    """On cancellation (organisations' hook): what the apps above prepared for an invited
    participant is taken back, unless another invitation to the programme waits for them."""
    promise = (
        ProgrammeInvitation.objects.filter(invitation=invitation, role=Role.PARTICIPANT)
        .select_related("programme")
        .first()
    )
    if promise is None:
        return
    another = (
        Invitation.objects.filter(
            programme_invitation__programme=promise.programme,
            programme_invitation__role=Role.PARTICIPANT,
            email__iexact=invitation.email,
        )
        .exclude(pk=invitation.pk)
        .waiting()
    )
    if not another.exists():
        participant_invitation_cancelled.send(programme=promise.programme, email=invitation.email)


def invitation_purposes_describe(*, invitations: Sequence[Invitation]) -> dict[int, str]:
    """For organisations' hook: what each invitation grants in a programme, in words."""
    promises = ProgrammeInvitation.objects.filter(invitation__in=invitations).select_related(
        "programme"
    )
    return {promise.invitation_id: promise.purpose for promise in promises}
