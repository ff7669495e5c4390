"""A person's own data, exported: requested by them (or by a coordinator on their behalf),
built by a worker into a ZIP of JSON with a readable index, downloadable by them for a while."""

import io
import json
import logging
import zipfile
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from .audit import audit_record
from .emails import absolute_url, send_email
from .models import AuditAction, Organisation, PersonalExport, PersonalExportStatus, User
from .personal_data import Records, personal_data_holders
from .tasks import PERSONAL_EXPORT_TASK, enqueue_on_commit

logger = logging.getLogger(__name__)


@transaction.atomic
def personal_export_request(
    *, organisation: Organisation, person: User, requested_by: User
) -> PersonalExport:
    now = timezone.now()
    export = PersonalExport.objects.create(
        organisation=organisation,
        person=person,
        requested_by=requested_by,
        expires_at=now + timedelta(days=settings.PERSONAL_EXPORT_DAYS),
    )
    audit_record(
        organisation=organisation,
        actor=requested_by,
        action=AuditAction.DATA_EXPORT_REQUESTED,
        subject="personal_data",
        subject_id=export.pk,
        person=person,
    )

    def not_queued(error: Exception) -> None:
        PersonalExport.objects.filter(pk=export.pk).update(
            status=PersonalExportStatus.FAILED, finished_at=timezone.now()
        )

    enqueue_on_commit(PERSONAL_EXPORT_TASK, export.pk, on_failure=not_queued)
    return export


def personal_data_of(organisation: Organisation, person: User) -> dict[str, dict[str, Records]]:
    """{holder: {section: records}} from every app that holds something about the person."""
    return {holder.name: holder.export(organisation, person) for holder in personal_data_holders()}


def _json(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def personal_export_zip(organisation: Organisation, person: User) -> bytes:
    data = personal_data_of(organisation, person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        files = []
        for holder, sections in data.items():
            name = f"{slugify(holder) or 'data'}.json"
            archive.writestr(name, _json(sections))
            files.append((holder, name, sections))
        archive.writestr("everything.json", _json(data))
        archive.writestr(
            "index.html",
            render_to_string(
                "organisations/personal_export_index.html",
                {
                    "organisation": organisation,
                    "person": person,
                    "made_at": timezone.now(),
                    "files": files,
                },
            ),
        )
    return buffer.getvalue()


def personal_export_build(*, export: PersonalExport) -> None:
    """The worker's part: build the ZIP once; a repeated delivery finds it finished."""
    if export.status != PersonalExportStatus.PENDING:
        return
    try:
        content = personal_export_zip(export.organisation, export.person)
    except Exception:
        logger.exception("Building personal data export %s failed", export.pk)
        PersonalExport.objects.filter(pk=export.pk).update(
            status=PersonalExportStatus.FAILED, finished_at=timezone.now()
        )
        return
    with transaction.atomic():
        locked = PersonalExport.objects.select_for_update().get(pk=export.pk)
        if locked.status != PersonalExportStatus.PENDING:
            return
        locked.file.save(f"export-{locked.pk}.zip", ContentFile(content), save=False)
        locked.status = PersonalExportStatus.READY
        locked.finished_at = timezone.now()
        locked.save(update_fields=["file", "status", "finished_at"])
        _tell_the_person(locked)


def _tell_the_person(export: PersonalExport) -> None:
    organisation = export.organisation
    send_email(
        key=f"personal-export:{export.pk}",
        to=export.person.email,
        organisation=organisation,
        subject=f"Your data held by {organisation.name} is ready to download",
        template="personal_export_ready",
        context={
            "export": export,
            "url": absolute_url(reverse("my_data", args=[organisation.slug])),
        },
    )


def personal_export_downloaded(*, export: PersonalExport, by: User) -> None:
    audit_record(
        organisation=export.organisation,
        actor=by,
        action=AuditAction.DATA_EXPORT_DOWNLOADED,
        subject="personal_data",
        subject_id=export.pk,
        person=export.person,
    )
