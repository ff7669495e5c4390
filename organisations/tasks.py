from celery import shared_task
from django.urls import reverse
from django_scopes import scope

from .emails import absolute_url, send_email
from .models import Invitation


@shared_task(name="organisations.send_invitation_email", time_limit=60, soft_time_limit=50)
def send_invitation_email(invitation_id: int) -> None:
    send_invitation_emails([invitation_id])


@shared_task(name="organisations.send_invitation_emails", time_limit=1800, soft_time_limit=1700)
def send_invitation_emails(invitation_ids: list[int]) -> None:
    """E-mail a batch of invitations, e.g. a cohort imported from a file."""
    invitations = (
        Invitation.objects.with_scopes_disabled()
        .select_related("organisation", "programme", "invited_by")
        .filter(pk__in=invitation_ids, accepted_at__isnull=True)
        .order_by("pk")
    )
    for invitation in invitations:
        with scope(organisation=invitation.organisation):
            send_email(
                to=[invitation.email],
                subject=f"You are invited to join {invitation.organisation.name}",
                template="invitation",
                context={
                    "invitation": invitation,
                    "accept_url": absolute_url(
                        reverse("invitation_accept", args=[invitation.token])
                    ),
                },
            )
