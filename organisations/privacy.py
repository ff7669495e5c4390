"""What organisations itself holds about a person: the account, the membership, invitations."""

from .models import Invitation, Membership, Organisation, User
from .personal_data import Erasure, Records, record


def account_export(organisation: Organisation, person: User) -> dict[str, Records]:
    membership = Membership.objects.filter(organisation=organisation, user=person).first()
    return {
        "Your account": [record(person, "full_name", "email", "date_joined", "last_login")],
        "Your membership": [record(membership, "role", "reminder_emails", "created_at")]
        if membership
        else [],
        "Invitations to you": [
            record(invitation, "email", "full_name", "role", "created_at", "accepted_at")
            for invitation in Invitation.objects.filter(
                organisation=organisation, email__iexact=person.email
            )
        ],
    }


def account_records_erase(erasure: Erasure) -> int:
    """Invitations to the person's address (the membership goes after every app has erased)."""
    if erasure.person is None:
        return 0
    invitations = Invitation.objects.filter(
        organisation=erasure.organisation, email__iexact=erasure.person.email
    )
    return invitations.delete()[0]
