from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django_scopes import ScopedManager

from organisations.models import Organisation
from organisations.roles import Role, Side

from ..timeline import ANCHORS_OUT_OF_ORDER, DEFAULT_GROUP_SESSIONS, anchors_in_order

# The four ways success shows, from the domain guide; every new programme starts with them.
DEFAULT_SUCCESS_MEASURES = (
    "Demonstrable commitment at all levels to addressing barriers to diversity and inclusion",
    "A greater sense of belonging among less privileged colleagues",
    "Retention of diverse talent",
    "Creativity released by valuing difference",
)
PILOT_PAIRS = range(12, 31)  # pilots of 12-30 pairs


class Programme(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(max_length=150)
    start_date = models.DateField(
        "commissioning starts on",
        help_text="The first anchor date: every stage before the relationships follows it.",
    )
    relationships_start = models.DateField(
        "relationships start on",
        help_text="The second anchor date: the stages from 5 onwards follow it.",
    )
    reminder_lead_days = models.PositiveSmallIntegerField(
        default=7, help_text="How many days before a stage starts its people are reminded."
    )
    group_sessions = models.PositiveSmallIntegerField(
        "monthly combined group sessions",
        default=DEFAULT_GROUP_SESSIONS,
        help_text="Stage 9: how many monthly sessions follow the first combined session.",
    )

    purpose = models.TextField("purpose statement", blank=True)
    scope = models.TextField(blank=True, help_text="Who and which parts of the organisation.")
    initiative_links = models.TextField(
        "links to other initiatives",
        blank=True,
        help_text="Other diversity, inclusion and leadership initiatives this programme links to.",
    )
    selection_criteria = models.TextField(
        "selection and matching criteria",
        blank=True,
        help_text="Who is a good candidate on each side, and which differences matching rewards.",
    )
    planned_pairs = models.PositiveSmallIntegerField("planned number of pairs", null=True)
    duration_months = models.PositiveSmallIntegerField(
        "duration in months", default=6, help_text="How long the relationships run."
    )
    ethics_statement = models.TextField(
        "ethics and confidentiality ground rules",
        blank=True,
        help_text="Every participant acknowledges this text before taking part.",
    )
    ethics_version = models.PositiveIntegerField(
        default=0, help_text="Goes up each time the statement's text changes."
    )
    anonymity_threshold = models.PositiveSmallIntegerField(
        "smallest group shown in survey results",
        default=5,
        help_text="Any figure from fewer respondents is hidden; never fewer than 3.",
    )
    quiet_weeks = models.PositiveSmallIntegerField(
        "nudge a pair after this many weeks without a meeting", default=3
    )
    checkin_weeks = models.PositiveSmallIntegerField(
        "steering check-ins are due every this many weeks", default=4
    )
    steering_min_size = models.PositiveSmallIntegerField(
        "smallest representative steering group", default=4
    )
    steering_max_size = models.PositiveSmallIntegerField(
        "largest steering group before it becomes bureaucratic", default=10
    )
    # Retention: the organisation's admins were told on this day that its personal data would
    # be erased; it was erased then (see programmes.retention).
    retention_warned_on = models.DateField(null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(relationships_start__gt=models.F("start_date")),
                name="relationships_start_after_commissioning",
            ),
            models.CheckConstraint(
                condition=models.Q(steering_max_size__gte=models.F("steering_min_size")),
                name="steering_limits_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(group_sessions__gte=2), name="at_least_two_group_sessions"
            ),
            models.CheckConstraint(
                condition=models.Q(anonymity_threshold__gte=3), name="anonymity_threshold_3_up"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The constraints' rules, said next to the field a person would change."""
        errors = {}
        start, relationships = self.start_date, self.relationships_start
        if start and relationships and not anchors_in_order(start, relationships):
            errors["relationships_start"] = ANCHORS_OUT_OF_ORDER
        low, high = self.steering_min_size, self.steering_max_size
        if low is not None and high is not None and high < low:
            errors["steering_max_size"] = "The largest size must be at least the smallest."
        if errors:
            raise ValidationError(errors)

    @property
    def pairs_outside_pilot_range(self) -> bool:
        return self.planned_pairs is not None and self.planned_pairs not in PILOT_PAIRS


class ProgrammeMember(models.Model):
    """A person's role in a programme. A person may hold several roles in one programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    stakeholder_group = models.CharField(
        "represents",
        max_length=120,
        blank=True,
        help_text="Steering group: the stakeholders this member speaks for, e.g. a minority "
        "network, HR or a business unit.",
    )
    is_chair = models.BooleanField("chairs the steering group", default=False)
    reviews_candidates = models.BooleanField(
        "reviews candidates",
        default=False,
        help_text="Steering group: reads the candidates' one-pagers during selection.",
    )
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
            models.CheckConstraint(
                condition=models.Q(is_chair=False) | models.Q(role=Role.STEERING),
                name="only_steering_members_chair",
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(is_chair=True),
                name="one_chair_per_programme",
            ),
        ]
        ordering = ["role", "user__full_name"]

    def __str__(self) -> str:
        label = self.get_role_display()
        if self.side:
            label = f"{label}, {self.get_side_display().lower()}"
        return f"{self.user} ({label})"


class SuccessMeasure(models.Model):
    """How the programme's success will be seen (standard 1)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="success_measures"
    )
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class EthicsAcknowledgement(models.Model):
    """A person accepted a given version of the programme's ethics statement, on a date."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    text = models.TextField(help_text="The statement exactly as it was acknowledged.")
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user", "version"], name="acknowledge_a_version_once"
            )
        ]
        ordering = ["-acknowledged_at"]

    def __str__(self) -> str:
        return f"{self.user} acknowledged version {self.version}"


class CommissioningSignOff(models.Model):
    """The top team's sign-off, recorded by the executive sponsor; stage 1 needs it."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="sign_off")
    signed_off_by = models.CharField(
        "signed off by", max_length=200, help_text="Who signed it off, e.g. the executive board."
    )
    signed_off_on = models.DateField("signed off on")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="programme__organisation")

    def __str__(self) -> str:
        return f"Signed off by {self.signed_off_by} on {self.signed_off_on}"
