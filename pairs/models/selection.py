import secrets
from functools import reduce
from operator import add

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from organisations.roles import Side
from programmes.models import Programme


class Decision(models.TextChoices):
    PENDING = "pending", "Under review"
    SELECTED = "selected", "Selected"
    WAIT_LISTED = "wait_listed", "Wait-listed"
    NOT_SELECTED = "not_selected", "Not selected"


class MeetingPreference(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIRTUAL = "virtual", "Virtual"
    EITHER = "either", "Either"


# The five positive traits of the ideal participant (domain guide, standard 3).
TRAITS = (
    ("openness", "Open and willing to learn and be challenged"),
    ("values_diversity", "Clear about the value of diversity"),
    ("curiosity", "Curious"),
    ("challenges_status_quo", "Willing to challenge the status quo"),
    ("listening", "Able to listen"),
)
TRAIT_CHOICES = [(n, str(n)) for n in range(1, 6)]


class Profile(models.Model):
    """A candidate's or participant's profile in one programme, with their one-page statement.

    It exists from the moment someone is brought in; `user` is empty until an invited person
    has accepted, and the e-mail links the two.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="profiles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="profiles",
    )
    email = models.EmailField("e-mail address")
    full_name = models.CharField(max_length=150)
    side = models.CharField(max_length=10, choices=Side.choices)
    job_title = models.CharField("role", max_length=150, blank=True)
    department = models.CharField(max_length=150, blank=True)
    function = models.CharField(max_length=150, blank=True)
    grade = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A number; higher is more senior."
    )
    location = models.CharField(max_length=150, blank=True)
    line_manager_email = models.EmailField("line manager's e-mail address", blank=True)
    hoped_learning = models.TextField("the learning I hope for", blank=True)
    aspirations = models.TextField("my aspirations for the relationship", blank=True)
    openness = models.PositiveSmallIntegerField(choices=TRAIT_CHOICES, null=True, blank=True)
    values_diversity = models.PositiveSmallIntegerField(
        choices=TRAIT_CHOICES, null=True, blank=True
    )
    curiosity = models.PositiveSmallIntegerField(choices=TRAIT_CHOICES, null=True, blank=True)
    challenges_status_quo = models.PositiveSmallIntegerField(
        choices=TRAIT_CHOICES, null=True, blank=True
    )
    listening = models.PositiveSmallIntegerField(choices=TRAIT_CHOICES, null=True, blank=True)
    meeting_preference = models.CharField(
        max_length=20, choices=MeetingPreference.choices, default=MeetingPreference.EITHER
    )
    availability = models.CharField(max_length=300, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        ordering = ["side", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "email"], name="one_profile_per_email"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def one_pager_written(self) -> bool:
        return bool(self.hoped_learning.strip() and self.aspirations.strip())


class DiversityDimension(models.TextChoices):
    GENDER = "gender", "Gender"
    ETHNICITY = "ethnicity", "Ethnicity"
    AGE_BAND = "age_band", "Age band"
    DISABILITY = "disability", "Disability"
    NEURODIVERGENCE = "neurodivergence", "Neurodivergence"
    SOCIO_ECONOMIC = "socio_economic", "Socio-economic background"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    CARING = "caring", "Caring responsibilities"


PREFER_NOT_TO_SAY = "prefer_not_to_say"
DIVERSITY_PURPOSE = (
    "I agree that these answers are used for one purpose only: to propose partners who differ "
    "from me (matching), and in anonymised figures about the programme that never show a group "
    "smaller than the programme's threshold. Nobody sees my answers but me; I can withdraw this "
    "consent at any time, which erases them."
)


class DiversityData(models.Model):
    """Special-category data, held only with explicit consent; withdrawing deletes the row."""

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="diversity")
    consented_at = models.DateTimeField()
    consent_text = models.TextField()
    answers = models.JSONField(default=dict)

    objects = ScopedManager(organisation="profile__programme__organisation")

    def __str__(self) -> str:
        return "Diversity data (confidential)"


class RedFlagKind(models.TextChoices):
    RELUCTANT = "reluctant", "Reluctant participant: may go through the motions"
    EXTERNAL_MINDSET = "external_mindset", "Externally directed mindset: blames others"


class SelectionNote(models.Model):
    """A coordinator's private note on a candidate; a red flag when `red_flag` is set.

    Only coordinators ever see these.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="selection_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    red_flag = models.CharField(max_length=30, choices=RedFlagKind.choices, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="profile__programme__organisation")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return "Selection note (confidential)"


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    ENDED_EARLY = "ended_early", "Ended early"


# A person in a pair of these is not free to be paired again in the programme: a relationship
# completed has run its course, while one ended early frees both partners for a rematch.
KEEPS_ITS_PARTNERS = (PairStatus.PROPOSED, PairStatus.ACTIVE, PairStatus.COMPLETED)


class CheckInStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    NEEDS_SUPPORT = "needs_support", "Needs support"
    AT_RISK = "at_risk", "At risk"


def standing_attention_rules() -> list[tuple[int, models.Q]]:
    """What asks for the coordinator's attention whatever the date, by weight, as conditions on
    a pair's own figures. An open concern counts whatever became of the pair; the rest only
    while it is active. (Being quiet, which depends on the date, is weighed by the queries.)"""
    active = models.Q(status=PairStatus.ACTIVE)
    unconfirmed = models.Q(agreed_version__isnull=True) | ~models.Q(
        agreed_version=models.F("agreement_version")
    )
    return [
        (8, models.Q(open_concerns__gt=0)),
        (4, active & ~models.Q(pulse_flags=[])),
        (4, active & models.Q(last_checkin_status=CheckInStatus.AT_RISK)),
        (2, active & models.Q(last_checkin_status=CheckInStatus.NEEDS_SUPPORT)),
        (1, active & unconfirmed),
    ]


def _weighted_sum(rules: list[tuple[int, models.Q]]) -> models.Expression:
    return reduce(
        add,
        (
            models.Case(models.When(rule, then=models.Value(weight)), default=models.Value(0))
            for weight, rule in rules
        ),
    )


class Pair(models.Model):
    """A senior and a junior partner: proposed by matching, then active once published."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="pairs")
    senior = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    junior = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=PairStatus.choices, default=PairStatus.PROPOSED
    )
    score = models.FloatField(default=0)
    locked = models.BooleanField(default=False, help_text="Kept as it is when matching re-runs.")
    reasons = models.JSONField(default=list, help_text="Why, in words, for the partners.")
    coordinator_reasons = models.JSONField(default=list, help_text="Why, for coordinators.")
    steering_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The steering-group member who checks in with this pair.",
    )
    pulse_flags = models.JSONField(
        default=list, help_text="What the partners' latest pulses raise; never the answers."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # What the dashboards read off every pair, worked out again from the meetings, check-ins,
    # agreements and concerns by the services that change them (pair_figures_refresh), so that
    # a page of 300 pairs reads one row each instead of eight subqueries each.
    meetings_count = models.PositiveIntegerField(default=0)
    last_meeting = models.DateField(null=True, blank=True)
    checkins_count = models.PositiveIntegerField(default=0)
    last_checkin = models.DateField(null=True, blank=True)
    last_checkin_status = models.CharField(max_length=20, blank=True)
    agreement_version = models.PositiveIntegerField(null=True, blank=True)
    agreed_version = models.PositiveIntegerField(null=True, blank=True)
    open_concerns = models.PositiveIntegerField(default=0)
    # The weight of what asks for attention whatever the date, kept by the database from the
    # figures above, so that ranking a list weighs one column and the date's rule.
    standing_attention = models.GeneratedField(
        expression=_weighted_sum(standing_attention_rules()),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        ordering = ["senior__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "senior"],
                condition=models.Q(status__in=["proposed", "active"]),
                name="senior_in_one_current_pair",
            ),
            models.UniqueConstraint(
                fields=["programme", "junior"],
                condition=models.Q(status__in=["proposed", "active"]),
                name="junior_in_one_current_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.senior} & {self.junior}"


class PairEvent(models.Model):
    """One step in a pair's history."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=PairStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="pair__programme__organisation")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.pair}: {self.get_status_display()}"


class NeverPair(models.Model):
    """Two people the coordinator has said must never be paired."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    senior = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    junior = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["senior", "junior"], name="never_pair_once")]

    def __str__(self) -> str:
        return f"Never {self.senior} & {self.junior}"


class MatchingSettings(models.Model):
    """The coordinator's weights for what difference counts, and the hard minimum grade gap."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="matching_settings"
    )
    diversity_weight = models.FloatField("background (where consented)", default=3.0)
    department_weight = models.FloatField("department", default=2.0)
    function_weight = models.FloatField("function", default=1.0)
    location_weight = models.FloatField("location", default=1.0)
    grade_gap_weight = models.FloatField("grade gap", default=1.0)
    min_grade_gap = models.PositiveSmallIntegerField(
        "minimum grade gap",
        default=2,
        help_text="A pair's senior partner is at least this many grades above the junior partner.",
    )

    objects = ScopedManager(organisation="programme__organisation")

    def __str__(self) -> str:
        return f"Matching settings of {self.programme}"


def new_application_token() -> str:
    return secrets.token_urlsafe(16)


class ApplicationLink(models.Model):
    """A link the coordinator opens so colleagues can put themselves forward."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="application_link"
    )
    token = models.CharField(max_length=64, unique=True, default=new_application_token)
    is_open = models.BooleanField(default=True)

    objects = ScopedManager(organisation="programme__organisation")

    def __str__(self) -> str:
        return f"Applications to {self.programme}"
