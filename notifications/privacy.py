"""What notifications hold about a person: their reminders and digests, and the e-mails to
them or naming them. An erased person's mail is forgotten, sent or not."""

from django.db.models import Q

from organisations.models import Organisation, User
from organisations.personal_data import Erasure, Records, record

from .models import Digest, OutboxMessage, Reminder


def notifications_export(organisation: Organisation, person: User) -> dict[str, Records]:
    return {
        "Your reminders": [
            record(r, "subject", "body", "due_at", "sent_at", "read_at")
            for r in Reminder.objects.filter(organisation=organisation, recipient=person)
        ],
        "E-mails to you": [
            record(m, "subject", "created_at", "sent_at", "status")
            for m in OutboxMessage.objects.filter(
                organisation=organisation, to__iexact=person.email
            )
        ],
    }


def _naming(person: User) -> Q:
    words = [person.email] + ([person.full_name] if person.full_name.strip() else [])
    naming = Q(to__iexact=person.email)
    for word in words:
        naming |= Q(subject__icontains=word) | Q(text__icontains=word) | Q(html__icontains=word)
    return naming


def notifications_erase(erasure: Erasure) -> int:
    person = erasure.person
    if person is None:  # reminders are about what is due, and go once sent
        return 0
    organisation = erasure.organisation
    reminders = Reminder.objects.filter(organisation=organisation).filter(
        Q(recipient=person) | Q(body__icontains=person.email)
    )
    if person.full_name.strip():
        reminders |= Reminder.objects.filter(
            organisation=organisation, body__icontains=person.full_name
        )
    mail = OutboxMessage.objects.with_scopes_disabled().filter(
        Q(organisation=organisation) | Q(organisation__isnull=True, to__iexact=person.email)
    )
    return sum(
        rows.delete()[0]
        for rows in (
            reminders,
            Digest.objects.filter(organisation=organisation, recipient=person),
            mail.filter(_naming(person)),
        )
    )
