from datetime import date, time

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from organisations.roles import Role

from ..timeline import STAGES
from .programme import Programme


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
    start_pinned = models.BooleanField(default=False, help_text="Start date set by hand.")
    end_pinned = models.BooleanField(default=False, help_text="End date set by hand.")
    status = models.CharField(
        max_length=20, choices=StageStatus.choices, default=StageStatus.NOT_STARTED
    )
    done_at = models.DateTimeField(
        null=True, blank=True, help_text="When the stage last became done: its actual finish."
    )
    status_set_by_hand = models.BooleanField(
        default=False, help_text="The coordinator chose the status; it no longer follows tasks."
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


class TaskStatus(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class StageTask(models.Model):
    """One item of a stage's checklist: what, by whom (a person or everyone in a role), when."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tasks")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField("task", max_length=200)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    due_date = models.DateField()
    due_pinned = models.BooleanField(
        default=False, help_text="Due date set by hand; otherwise it follows the stage's end."
    )
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.TODO)
    position = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        ordering = ["stage__number", "position", "pk"]
        indexes = [models.Index(fields=["programme", "due_date"], name="task_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(responsible_user__isnull=True) | models.Q(responsible_role=""),
                name="task_has_one_kind_of_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def responsible_label(self) -> str:
        if self.responsible_user_id:
            return str(self.responsible_user)
        if self.responsible_role:
            return f"Every {self.get_responsible_role_display().lower()}"
        return "Nobody yet"

    def is_overdue(self, today: date) -> bool:
        return self.status != TaskStatus.DONE and self.due_date < today


DEFAULT_SESSION_START = time(14, 0)


# The domain guide: all-pairs sessions last at least two hours.
MIN_GROUP_SESSION_MINUTES = 120


class GroupSession(models.Model):
    """A combined session of all pairs: the first (stage 8) and the monthly series (stage 9)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="group_sessions_planned"
    )
    stage_number = models.PositiveSmallIntegerField(choices=[(8, "Stage 8"), (9, "Stage 9")])
    sequence = models.PositiveSmallIntegerField(help_text="1 for the first combined session.")
    date = models.DateField()
    date_pinned = models.BooleanField(default=False)
    start_time = models.TimeField(default=DEFAULT_SESSION_START)
    duration_minutes = models.PositiveSmallIntegerField(
        default=MIN_GROUP_SESSION_MINUTES, help_text="At least two hours: the pairs need the time."
    )
    location = models.CharField("venue or joining link", max_length=200, blank=True)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "sequence"], name="one_session_per_slot"),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=MIN_GROUP_SESSION_MINUTES),
                name="group_session_two_hours",
            ),
        ]

    def __str__(self) -> str:
        if self.sequence == 1:
            return "First combined group session"
        return f"Combined group session {self.sequence}"
