"""Reminders and digests now live in notifications, reports in reports, and what an invitation
grants in a programme in ProgrammeInvitation: copy the rows across, keeping their ids."""

from django.core.management.color import no_style
from django.db import migrations

PROGRAMME_TOPIC = "programme:{}"


def _copy(apps, schema_editor, source: str, target: str, fields: list[str], **extra) -> None:
    Source, Target = apps.get_model(*source.split(".")), apps.get_model(*target.split("."))
    rows = []
    for row in Source.objects.all().iterator():
        values = {field: getattr(row, field) for field in fields}
        values.update({key: compute(row) for key, compute in extra.items()})
        rows.append(Target(pk=row.pk, **values))
    Target.objects.bulk_create(rows, batch_size=500)
    connection = schema_editor.connection
    with connection.cursor() as cursor:  # ids were given: move the sequence past them
        for statement in connection.ops.sequence_reset_sql(no_style(), [Target]):
            cursor.execute(statement)


def forwards(apps, schema_editor) -> None:
    _copy(
        apps,
        schema_editor,
        "programmes.Digest",
        "notifications.Digest",
        ["organisation_id", "recipient_id", "day", "claim_token", "claimed_at", "sent_at", "emailed"],
    )
    _copy(
        apps,
        schema_editor,
        "programmes.Reminder",
        "notifications.Reminder",
        [
            "organisation_id", "recipient_id", "key", "subject", "body", "url", "due_at",
            "digest_id", "sent_at", "read_at", "created_at",
        ],
        topic=lambda r: PROGRAMME_TOPIC.format(r.programme_id) if r.programme_id else "",
    )
    _copy(
        apps,
        schema_editor,
        "programmes.ProgrammeReport",
        "reports.ProgrammeReport",
        [
            "organisation_id", "programme_id", "kind", "requested_by_id", "status", "file",
            "page_count", "error", "created_at", "finished_at", "expires_at",
        ],
    )
    Invitation = apps.get_model("organisations", "Invitation")
    ProgrammeInvitation = apps.get_model("programmes", "ProgrammeInvitation")
    ProgrammeInvitation.objects.bulk_create(
        ProgrammeInvitation(
            invitation_id=invitation.pk,
            programme_id=invitation.programme_id,
            role=invitation.programme_role,
            side=invitation.side,
            stakeholder_group=invitation.stakeholder_group,
        )
        for invitation in Invitation.objects.exclude(programme=None).exclude(programme_role="")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0007_programmeinvitation"),
        ("notifications", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
