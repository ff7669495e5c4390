"""Writing the audit log: one call per thing worth recording, from the service or view that
does it. Entries hold ids, kinds and counts, never the text of what was read or changed."""

from collections.abc import Iterable

from django.http import HttpRequest

from .models import AuditAction, AuditEntry, Organisation, User


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


def audit_reading(
    *,
    organisation: Organisation,
    reader: User,
    kind: str,
    records: Iterable[object],
    author_field: str,
    programme_id: int | None = None,
) -> AuditEntry | None:
    """A confidential record was shown to `reader`: one entry per page view and kind, with the
    first record's id and how many were shown. A person reading what they wrote is not logged."""
    read = [
        record for record in records if getattr(record, f"{author_field}_id", None) != reader.pk
    ]
    if not read:
        return None
    return audit_record(
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
    """A page handed over an export or a report file."""
    programme = getattr(request, "programme", None)
    audit_record(
        organisation=request.organisation,
        actor=request.user,
        action=AuditAction.EXPORT_DOWNLOADED,
        subject=subject,
        subject_id=subject_id,
        programme_id=programme.pk if programme is not None else None,
    )
