from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from .programme import Programme


class TrainingKind(models.TextChoices):
    INITIAL = "initial", "Initial training"
    FOLLOW_UP = "follow_up", "Follow-up workshop"


class TrainingFormat(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIRTUAL = "virtual", "Virtual"


class TrainingAudience(models.TextChoices):
    EVERYONE = "everyone", "Both sides together"
    SENIOR = "senior", "Senior side only"
    JUNIOR = "junior", "Junior side only"


class TrainingSession(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="training_sessions"
    )
    title = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=TrainingKind.choices)
    format = models.CharField(max_length=20, choices=TrainingFormat.choices)
    audience = models.CharField(max_length=20, choices=TrainingAudience.choices)
    starts_at = models.DateTimeField("starts at")
    duration_minutes = models.PositiveSmallIntegerField("length in minutes")
    location = models.CharField(
        "place or joining link", max_length=300, blank=True, help_text="Where, or how to join."
    )
    topics = models.TextField(blank=True)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="session__programme__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attend_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant} attended {self.session}"
