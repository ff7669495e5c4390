from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from .audit import audit_record
from .emails import absolute_url, email_message, send_emails
from .hooks import invitation_accepted, invitation_cancelled
from .models import (
    AuditAction,
    Invitation,
    InvitationState,
    Membership,
    Organisation,
    User,
    default_invitation_expiry,
)
from .roles import OrgRole
from .selectors import invitation_purposes


def user_name_set(*, user: User, full_name: str) -> User:
    user.full_name = full_name.strip()
    user.save(update_fields=["full_name"])
    return user


class InvitationError(Exception):
    """Why an invitation cannot be accepted, in words for the person trying."""


def unique_org_slug(name: str) -> str:
    base = slugify(name)[:50] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(
    *, name: str, time_zone: str, creator: User, slug: str = ""
) -> Organisation:
    """Create an organisation; its creator becomes its first admin."""
    organisation = Organisation.objects.create(
        name=name, slug=slug or unique_org_slug(name), time_zone=time_zone
    )
    membership = Membership.objects.with_scopes_disabled().create(
        user=creator, organisation=organisation, role=OrgRole.ADMIN
    )
    membership_audit(membership=membership, action=AuditAction.ROLE_GRANTED, by=creator)
    return organisation


def membership_audit(*, membership: Membership, action: AuditAction, by: User | None) -> None:
    audit_record(
        organisation=membership.organisation,
        actor=by,
        action=action,
        subject=f"org:{membership.role}",
        person=membership.user,
    )


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    invited_by: User,
    full_name: str = "",
    role: str = OrgRole.MEMBER,
    send: bool = True,
) -> Invitation:
    """Record an invitation and its e-mail. An app that attaches more to it (a programme role)
    passes `send=False` and sends it with `invitations_send` once it has."""
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email.strip().lower(),
        full_name=full_name.strip(),
        role=role,
        invited_by=invited_by,
    )
    invitation_audit(invitation=invitation, action=AuditAction.INVITATION_SENT, by=invited_by)
    if send:
        invitations_send(invitations=[invitation])
    return invitation


def invitation_audit(*, invitation: Invitation, action: AuditAction, by: User | None) -> None:
    """The invitation by its id and the role it offers; never its address or name."""
    audit_record(
        organisation=invitation.organisation,
        actor=by,
        action=action,
        subject=f"invitation:{invitation.role}",
        subject_id=invitation.pk,
    )


def invitations_send(*, invitations: Sequence[Invitation]) -> None:
    """Record each invitation's e-mail in the outbox, once per invitation and sending (a resent
    invitation is a new e-mail; the same sending recorded twice is still one)."""
    purposes = invitation_purposes(invitations)
    send_emails(
        [
            email_message(
                key=_outbox_key(invitation),
                to=invitation.email,
                organisation=invitation.organisation,
                subject=f"You are invited to join {invitation.organisation.name}",
                template="invitation",
                context={
                    "invitation": invitation,
                    "purpose": purposes[invitation.pk],
                    "accept_url": absolute_url(
                        reverse("invitation_accept", args=[invitation.token])
                    ),
                },
            )
            for invitation in invitations
        ]
    )


def _outbox_key(invitation: Invitation) -> str:
    key = f"invitation:{invitation.pk}"
    return key if invitation.times_sent == 1 else f"{key}:{invitation.times_sent}"


def _lock(invitation: Invitation) -> None:
    """Read the invitation as it stands now and lock it until the transaction ends: two people
    acting on it at once (resending, cancelling, accepting) act one after the other."""
    invitation.refresh_from_db(
        from_queryset=Invitation.objects.select_for_update(of=("self",)).select_related(
            "organisation"
        )
    )


def _refuse_unless_waiting(invitation: Invitation) -> None:
    whom = invitation.full_name or invitation.email
    if invitation.state == InvitationState.JOINED:
        raise InvitationError(f"{whom} has already accepted this invitation.")
    if invitation.state == InvitationState.CANCELLED:
        raise InvitationError(f"The invitation to {whom} was cancelled; invite them again.")


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User | None) -> Invitation:
    """Send a waiting invitation's e-mail again, its link valid for a fresh two weeks."""
    _lock(invitation)
    _refuse_unless_waiting(invitation)
    invitation.times_sent += 1
    invitation.last_sent_at = timezone.now()
    invitation.expires_at = default_invitation_expiry()
    invitation.save(update_fields=["times_sent", "last_sent_at", "expires_at"])
    invitation_audit(invitation=invitation, action=AuditAction.INVITATION_RESENT, by=by)
    invitations_send(invitations=[invitation])
    return invitation


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, by: User) -> Invitation:
    """Stop a waiting invitation's link from working; the apps above take back what they
    prepared for the invitee."""
    _lock(invitation)
    _refuse_unless_waiting(invitation)
    invitation.cancelled_at = timezone.now()
    invitation.cancelled_by = by
    invitation.save(update_fields=["cancelled_at", "cancelled_by"])
    invitation_audit(invitation=invitation, action=AuditAction.INVITATION_CANCELLED, by=by)
    invitation_cancelled.send(invitation=invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the invitation's organisation as `user`, with whatever else it grants."""
    _lock(invitation)
    if invitation.accepted_at is not None:
        raise InvitationError("This invitation has already been used.")
    if invitation.cancelled_at is not None:
        raise InvitationError("This invitation was cancelled. Ask whoever invited you.")
    if invitation.is_expired:
        raise InvitationError("This invitation has expired. Ask for a new one.")
    if user.email.lower() != invitation.email.lower():
        raise InvitationError(
            f"This invitation is for {invitation.email}, but you are signed in as {user.email}."
        )
    if not user.full_name.strip() and invitation.full_name:
        user_name_set(user=user, full_name=invitation.full_name)
    membership, created = Membership.objects.with_scopes_disabled().get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and invitation.role == OrgRole.ADMIN and membership.role != OrgRole.ADMIN:
        membership.role = OrgRole.ADMIN
        membership.save(update_fields=["role"])
        created = True
    if created:
        membership_audit(
            membership=membership, action=AuditAction.ROLE_GRANTED, by=invitation.invited_by
        )
    invitation_accepted.send(invitation=invitation, user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def organisation_retention_set(*, organisation: Organisation, months: int, by: User) -> None:
    organisation.retention_months = months
    organisation.save(update_fields=["retention_months"])
    audit_record(
        organisation=organisation,
        actor=by,
        action=AuditAction.RETENTION_CHANGED,
        subject="retention_months",
        count=months,
    )
