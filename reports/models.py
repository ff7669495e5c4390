from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from organisations.models import Organisation
from programmes.models import GroupSession, Programme


class ReportKind(models.TextChoices):
    SUMMARY = "summary", "Programme summary"
    EVALUATION = "evaluation", "Evaluation report"
    THEME_ANALYSIS = "theme_analysis", "Analysis of themes"


class ReportStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ReportFailure(models.TextChoices):
    """Why a report failed, in the words its page gives."""

    NOT_QUEUED = "not_queued", "The report could not be queued just now. Try again in a minute."
    RENDER = "render", "The report could not be prepared. Try again, or tell your administrator."
    GAVE_UP = "gave_up", "Preparing it was interrupted again and again. Try again later."


def report_upload_to(report: "ProgrammeReport", filename: str) -> str:
    return f"reports/{report.organisation_id}/{report.programme_id}/{filename}"


class ProgrammeReport(models.Model):
    """A PDF rendered by a worker. Streamed only by a view that checks role on every download."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=20, choices=ReportKind.choices, default=ReportKind.SUMMARY)
    # An analysis of themes is of one combined session.
    group_session = models.ForeignKey(
        GroupSession, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    file = models.FileField(upload_to=report_upload_to, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    # How many times a worker has begun rendering it: a render killed mid-way is delivered again.
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=20, choices=ReportFailure.choices, blank=True)
    error = models.TextField(blank=True, help_text="The kind of error, for the administrator.")
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
