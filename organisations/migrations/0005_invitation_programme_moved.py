from django.db import migrations


class Migration(migrations.Migration):
    """What an invitation grants in a programme now lives in programmes.ProgrammeInvitation."""

    dependencies = [
        ("organisations", "0004_invitation_full_name"),
        ("programmes", "0008_move_to_notifications_and_reports"),
    ]

    operations = [
        migrations.RemoveField(model_name="invitation", name="programme"),
        migrations.RemoveField(model_name="invitation", name="programme_role"),
        migrations.RemoveField(model_name="invitation", name="side"),
        migrations.RemoveField(model_name="invitation", name="stakeholder_group"),
    ]
