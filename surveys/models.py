from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from programmes.models import Programme


class SurveyKind(models.TextChoices):
    BASELINE = "baseline", "Baseline survey"
    INITIAL = "initial", "Initial survey (stage 7)"
    EVALUATION = "evaluation", "Evaluation survey (stage 10)"
    CUSTOM = "custom", "Other survey"


class Audience(models.TextChoices):
    EVERYONE = "everyone", "Both sides"
    SENIOR = "senior", "Senior side"
    JUNIOR = "junior", "Junior side"
    STEERING = "steering", "Steering group"


class QuestionKind(models.TextChoices):
    AGREE = "agree", "Agreement, 1-5"
    SCALE10 = "scale10", "Scale, 0-10"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    TEXT = "text", "Free text"


class Category(models.TextChoices):
    """The outcome categories of the domain guide, for grouping results in the report."""

    LEARNING = "learning", "Learning"
    CAREER = "career", "Career"
    ENABLING = "enabling", "Enabling"
    EMOTIONAL = "emotional", "Emotional"
    RECIPROCAL = "reciprocal", "Reciprocal learning"
    ORGANISATIONAL = "organisational", "Organisational"
    RELATIONSHIP = "relationship", "The relationship"
    THEMES = "themes", "Key themes"
    OTHER = "other", "Other"


CLOSES_BEFORE_OPENING = "A survey cannot close before it opens."


class Survey(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SurveyKind.choices, default=SurveyKind.CUSTOM)
    audience = models.CharField(max_length=20, choices=Audience.choices, default="everyone")
    intro = models.TextField("introduction", blank=True)
    opens_on = models.DateField("opens on")
    closes_on = models.DateField("closes on")
    closed_threshold = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The anonymity threshold this survey closed with, recorded when the "
        "programme's threshold changes later: its results never use a lower one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        ordering = ["opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """The constraint's rule, said next to the closing date."""
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": CLOSES_BEFORE_OPENING})

    def today(self) -> date:
        """Today in the organisation's time zone, which is where the survey opens and closes."""
        return timezone.localdate(timezone=self.programme.organisation.zone)

    def is_open(self, today: date | None = None) -> bool:
        today = today or self.today()
        return self.opens_on <= today <= self.closes_on

    def has_closed(self, today: date | None = None) -> bool:
        """Results show only after closing: figures that change with each new answer would let
        anyone watching them work out that answer."""
        return (today or self.today()) > self.closes_on


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=400)
    choices = models.JSONField(default=list, blank=True, help_text="For choice questions.")
    category = models.CharField(max_length=20, choices=Category.choices, default="other")
    key = models.SlugField(
        max_length=60,
        blank=True,
        help_text="The same key in the baseline and evaluation surveys shows the change.",
    )
    required = models.BooleanField(default=True)

    objects = ScopedManager(organisation="survey__programme__organisation")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """One person's response: a draft until submitted. Others only ever see aggregates, and
    free text its author allowed to be quoted (see `surveys.selectors`)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # Nobody once the respondent's data is erased: the answers still count in every aggregate.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=10, blank=True, help_text="As it was when they answered.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="survey__programme__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent"], name="one_response_each")
        ]

    def __str__(self) -> str:
        return "Survey response (confidential)"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()
    may_quote = models.BooleanField(
        default=False,
        help_text="Free text only: the respondent allowed this answer to be quoted anonymously.",
    )

    objects = ScopedManager(organisation="response__survey__programme__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_each")
        ]

    def __str__(self) -> str:
        return "Answer (confidential)"
