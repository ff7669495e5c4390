import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_invitation_full_name"),
        ("programmes", "0006_stage_done_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProgrammeInvitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("coordinator", "Coordinator"),
                            ("steering", "Steering-group member"),
                            ("participant", "Participant"),
                            ("supervisor", "Supervisor"),
                            ("executive", "Executive sponsor"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "side",
                    models.CharField(
                        blank=True,
                        choices=[("senior", "Senior side"), ("junior", "Junior side")],
                        max_length=10,
                    ),
                ),
                ("stakeholder_group", models.CharField(blank=True, max_length=120)),
                (
                    "invitation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="programme_invitation",
                        to="organisations.invitation",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to="programmes.programme",
                    ),
                ),
            ],
        ),
    ]
