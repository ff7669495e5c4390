from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from organisations.models import Organisation
from organisations.roles import Role, Side

from .timeline import STAGES


class Programme(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(max_length=150)
    start_date = models.DateField(
        help_text="When commissioning begins; every stage date is computed from it."
    )
    reminder_lead_days = models.PositiveSmallIntegerField(
        default=7, help_text="How many days before a stage starts its coordinators are reminded."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-start_date", "name"]

    def __str__(self) -> str:
        return self.name


class ProgrammeMember(models.Model):
    """A person's role in a programme. A person may hold several roles in one programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "user", "role"], name="one_role_once"),
            models.CheckConstraint(
                condition=(models.Q(role=Role.PARTICIPANT) & ~models.Q(side=""))
                | (~models.Q(role=Role.PARTICIPANT) & models.Q(side="")),
                name="participants_and_only_participants_have_a_side",
            ),
        ]
        ordering = ["role", "user__full_name"]

    def __str__(self) -> str:
        label = self.get_role_display()
        if self.side:
            label = f"{label}, {self.get_side_display().lower()}"
        return f"{self.user} ({label})"


class StageStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Stage(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    planned_start = models.DateField()
    planned_end = models.DateField()
    status = models.CharField(
        max_length=20, choices=StageStatus.choices, default=StageStatus.NOT_STARTED
    )

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_stage_per_number"),
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")),
                name="stage_ends_after_it_starts",
            ),
        ]
        ordering = ["programme", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def summary(self) -> str:
        return STAGES[self.number - 1].summary

    @property
    def default_timing(self) -> str:
        return STAGES[self.number - 1].default_timing

    def is_overdue(self, today: date) -> bool:
        return self.status != StageStatus.DONE and self.planned_end < today


class Reminder(models.Model):
    """One thing to tell one person, due at a time; swept, claimed atomically and sent once.

    `key` is unique per (what, whom, when), so scheduling the same reminder twice is a no-op.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, null=True, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    due_at = models.DateTimeField()
    claim_token = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        indexes = [models.Index(fields=["sent_at", "due_at"], name="reminder_due_idx")]
        ordering = ["due_at"]

    def __str__(self) -> str:
        return self.subject


class ReportKind(models.TextChoices):
    SUMMARY = "summary", "Programme summary"


class ReportStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


def report_upload_to(report: "ProgrammeReport", filename: str) -> str:
    return f"reports/{report.organisation_id}/{report.programme_id}/{filename}"


class ProgrammeReport(models.Model):
    """A PDF rendered by a worker. Streamed only by a view that checks role on every download."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=20, choices=ReportKind.choices, default=ReportKind.SUMMARY)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    file = models.FileField(upload_to=report_upload_to, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.programme} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def filename(self) -> str:
        return f"{self.programme.name} - {self.get_kind_display()}.pdf".replace("/", "-")
