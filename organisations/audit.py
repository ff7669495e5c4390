"""Writing the audit log: one call per thing worth recording, from the service or view that
does it. Entries hold ids, kinds and counts, never the text of what was read or changed.

A change is audited in its own transaction (`audit_record`). What a page shows or hands over is
audited without the request writing to the database, since a GET writes nothing: the entry is
queued (`audit_later`) and a worker writes it, once, with the time of the reading. If the queue
cannot take it (the broker is down), the request writes it itself and says so in the log, so an
entry is never lost unnoticed.
"""

import logging
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django_scopes import scope

from .models import AuditAction, AuditEntry, Organisation, User
from .tasks import AUDIT_ENTRY_TASK, enqueue

logger = logging.getLogger(__name__)
SUBJECT_LENGTH = AuditEntry._meta.get_field("subject").max_length


def audit_record(
    *,
    organisation: Organisation,
    actor: User | None,
    action: AuditAction,
    subject: str = "",
    subject_id: int | None = None,
    person: User | None = None,
    programme_id: int | None = None,
    count: int = 1,
) -> AuditEntry:
    return AuditEntry.objects.create(
        organisation=organisation,
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        subject=subject,
        subject_id=subject_id,
        person=person,
        programme_id=programme_id,
        count=count,
    )


def audit_later(
    *,
    organisation: Organisation,
    actor: User | None,
    action: AuditAction,
    subject: str = "",
    subject_id: int | None = None,
    programme_id: int | None = None,
    count: int = 1,
) -> None:
    """Queue an entry for a worker to write: its fields (ids, kinds, counts, the time) and a key
    that makes a second delivery of it add nothing."""
    entry = {
        "key": uuid.uuid4().hex,
        "at": timezone.now().isoformat(),
        "organisation_id": organisation.pk,
        "actor_id": actor.pk if actor is not None and actor.pk else None,
        "action": str(action),
        "subject": subject[:SUBJECT_LENGTH],
        "subject_id": subject_id,
        "programme_id": programme_id,
        "count": count,
    }

    def write_here(error: Exception) -> None:
        audit_entry_write(entry=entry)
        logger.warning(
            "Audit entry %s written by the request, as the queue could not take it (%s)",
            entry["key"],
            type(error).__name__,
        )

    enqueue(AUDIT_ENTRY_TASK, entry, on_failure=write_here)


def audit_entry_write(*, entry: Mapping[str, Any]) -> None:
    """Write a queued entry, once: a message delivered again (its worker lost after writing it)
    adds nothing. An entry whose organisation was deleted meanwhile goes with it; one whose
    person was deleted meanwhile is kept without them, as for the entries written before."""
    organisation = Organisation.objects.filter(pk=entry["organisation_id"]).first()
    if organisation is None:
        return
    actor_id = entry["actor_id"]
    if actor_id is not None and not User.objects.filter(pk=actor_id).exists():
        actor_id = None
    with scope(organisation=organisation):
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    key=entry["key"],
                    at=datetime.fromisoformat(entry["at"]),
                    organisation=organisation,
                    actor_id=actor_id,
                    action=AuditAction(entry["action"]),
                    subject=entry["subject"],
                    subject_id=entry["subject_id"],
                    programme_id=entry["programme_id"],
                    count=entry["count"],
                )
            ],
            ignore_conflicts=True,
        )


def audit_reading(
    *,
    organisation: Organisation,
    reader: User,
    kind: str,
    records: Iterable[object],
    author_field: str,
    programme_id: int | None = None,
) -> None:
    """A confidential record was shown to `reader`: one entry per page view and kind, with the
    first record's id and how many were shown, queued for a worker to write. A person reading
    what they wrote is not logged."""
    read = [
        record for record in records if getattr(record, f"{author_field}_id", None) != reader.pk
    ]
    if not read:
        return
    audit_later(
        organisation=organisation,
        actor=reader,
        action=AuditAction.RECORD_READ,
        subject=kind,
        subject_id=read[0].pk if len(read) == 1 else None,
        programme_id=programme_id,
        count=len(read),
    )


def audit_sign_in_policy_change(
    *, organisation: Organisation, actor: User, setting: str
) -> AuditEntry:
    """For the sign-in settings (multi-factor, single sign-on): `setting` names what changed,
    e.g. "mfa_required" or "sso:oidc", never a secret or its value."""
    return audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditAction.SIGN_IN_POLICY_CHANGED,
        subject=setting[:60],
    )


def audit_shown(
    request: HttpRequest, *, kind: str, records: Iterable[object], author_field: str
) -> None:
    """A page is showing confidential records to the person asking: the one call views make."""
    programme = getattr(request, "programme", None)
    audit_reading(
        organisation=request.organisation,
        reader=request.user,
        kind=kind,
        records=records,
        author_field=author_field,
        programme_id=programme.pk if programme is not None else None,
    )


def audit_download(request: HttpRequest, *, subject: str, subject_id: int | None = None) -> None:
    """A page handed over an export or a report file: queued like a reading."""
    programme = getattr(request, "programme", None)
    audit_later(
        organisation=request.organisation,
        actor=request.user,
        action=AuditAction.EXPORT_DOWNLOADED,
        subject=subject,
        subject_id=subject_id,
        programme_id=programme.pk if programme is not None else None,
    )
