from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from programmes.models import Programme, SuccessMeasure


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
WRITE_THE_QUESTION = "Write the question."
TWO_CHOICES = "Give at least two choices, one per line."


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
        constraints = [
            # Positions run 0, 1, 2... in each survey; the services keep them contiguous.
            models.UniqueConstraint(fields=["survey", "position"], name="question_position_once"),
            # A key pairs a question with the partner survey's: one question per key.
            models.UniqueConstraint(
                fields=["survey", "key"], condition=~models.Q(key=""), name="question_key_once"
            ),
        ]

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


# --- The organisation's hard measures --------------------------------------------------------


class MeasureGroup(models.TextChoices):
    PARTICIPANTS = "participants", "The programme's participants"
    TARGET = "target", "A target group"
    ORGANISATION = "organisation", "The whole organisation"


class MeasureUnit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    COUNT = "count", "Count of people"
    OTHER = "other", "Another unit"


AFTER_BEFORE_BASELINE = "The later figure cannot be dated before the baseline figure."
NOT_IN_FUTURE = "A figure cannot be dated in the future."
PERCENT_RANGE = "A percentage runs from 0 to 100."
WHOLE_COUNT = "A count of people is a whole number, 0 or more."
NAME_THE_GROUP = "Say which group, for example “ethnic-minority staff at grades 5-7”."
NAME_THE_UNIT = "Name the unit, for example “days” or “£ per year”."
AFTER_NEEDS_DATE = "Give the date of the later figure."
DATE_NEEDS_AFTER = "Give the later figure for this date, or clear the date."


class HardMeasure(models.Model):
    """A figure from the organisation's own systems that the purpose named as a sign of success
    (retention, promotion of participants or of a target group), before and after, with where
    it came from. Organisation-level figures, not anyone's personal data: the coordinator
    records them, and those who read the evaluation report read them."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="hard_measures")
    success_measure = models.ForeignKey(
        SuccessMeasure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hard_measures",
        verbose_name="success measure",
        help_text="The success measure of the programme's purpose this figure shows, if any.",
    )
    name = models.CharField(
        "what is measured",
        max_length=200,
        help_text="For example “Retention of participants after twelve months” or “Promotion "
        "rate of ethnic-minority staff at grades 5-7”.",
    )
    group = models.CharField(
        "measured for", max_length=20, choices=MeasureGroup.choices, default="participants"
    )
    group_detail = models.CharField(
        "which group",
        max_length=200,
        blank=True,
        help_text="For a target group: who is in it.",
    )
    unit = models.CharField(max_length=10, choices=MeasureUnit.choices, default="percent")
    unit_label = models.CharField(
        "unit name", max_length=40, blank=True, help_text="For another unit: what it counts."
    )
    before_value = models.DecimalField("baseline figure", max_digits=12, decimal_places=2)
    before_on = models.DateField("baseline figure as at")
    after_value = models.DecimalField(
        "later figure",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave empty until it is known.",
    )
    after_on = models.DateField("later figure as at", null=True, blank=True)
    source = models.CharField(
        max_length=200, help_text="Where the figures come from, e.g. “HR system, headcount report”."
    )
    note = models.TextField(
        blank=True, max_length=2000, help_text="How to read the figures, if it needs saying."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(after_on__isnull=True)
                | models.Q(after_on__gte=models.F("before_on")),
                name="hard_measure_after_not_before_baseline",
            ),
            models.CheckConstraint(
                condition=models.Q(after_value__isnull=True, after_on__isnull=True)
                | models.Q(after_value__isnull=False, after_on__isnull=False),
                name="hard_measure_after_has_its_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(unit="percent")
                | models.Q(
                    before_value__gte=0,
                    before_value__lte=100,
                )
                & (
                    models.Q(after_value__isnull=True)
                    | models.Q(after_value__gte=0, after_value__lte=100)
                ),
                name="hard_measure_percentages_within_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def change(self) -> Decimal | None:
        if self.after_value is None:
            return None
        return self.after_value - self.before_value

    @property
    def before_text(self) -> str:
        return self._with_unit(self.before_value)

    @property
    def after_text(self) -> str:
        return "" if self.after_value is None else self._with_unit(self.after_value)

    @property
    def change_text(self) -> str:
        """ "+3.5 percentage points", "-2 people", "no change"; "" until the later figure."""
        change = self.change
        if change is None:
            return ""
        if change == 0:
            return "no change"
        signed = ("+" if change > 0 else "-") + _plain(abs(change))
        if self.unit == MeasureUnit.PERCENT:
            return f"{signed} percentage points"
        return signed + self._unit_after()

    def _with_unit(self, value: Decimal) -> str:
        if self.unit == MeasureUnit.PERCENT:
            return f"{_plain(value)}%"
        return _plain(value) + self._unit_after()

    def _unit_after(self) -> str:
        if self.unit == MeasureUnit.COUNT:
            return " people"
        return f" {self.unit_label}" if self.unit_label else ""

    @property
    def group_text(self) -> str:
        if self.group == MeasureGroup.TARGET and self.group_detail:
            return self.group_detail
        return self.get_group_display()

    def clean(self) -> None:
        """The constraints' rules and a few more, each said next to its field."""
        errors: dict[str, str] = {}
        today = timezone.localdate(timezone=self.programme.organisation.zone)
        if self.group == MeasureGroup.TARGET and not self.group_detail.strip():
            errors["group_detail"] = NAME_THE_GROUP
        if self.unit == MeasureUnit.OTHER and not self.unit_label.strip():
            errors["unit_label"] = NAME_THE_UNIT
        for value_field in ("before_value", "after_value"):
            value = getattr(self, value_field)
            if value is None:
                continue
            if self.unit == MeasureUnit.PERCENT and not 0 <= value <= 100:
                errors[value_field] = PERCENT_RANGE
            elif self.unit == MeasureUnit.COUNT and (value < 0 or value != value.to_integral()):
                errors[value_field] = WHOLE_COUNT
        for date_field in ("before_on", "after_on"):
            day = getattr(self, date_field)
            if day is not None and day > today:
                errors[date_field] = NOT_IN_FUTURE
        if self.after_value is not None and self.after_on is None:
            errors.setdefault("after_on", AFTER_NEEDS_DATE)
        if self.after_on is not None and self.after_value is None:
            errors.setdefault("after_value", DATE_NEEDS_AFTER)
        if self.after_on and self.before_on and self.after_on < self.before_on:
            errors.setdefault("after_on", AFTER_BEFORE_BASELINE)
        if errors:
            raise ValidationError(errors)


def _plain(value: Decimal) -> str:
    """82.50 as "82.5", 12.00 as "12": no trailing zeros, no exponent."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
