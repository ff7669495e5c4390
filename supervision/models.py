"""Supervision: referrals raised by participants, steering members or the coordinator, triaged by
the coordinator into individual, pair or group supervision; supervisors with their caseloads,
their sessions, their private notes and the outcomes they record.

Who sees what (the architecture guide's table):
- a referral's text, urgency and status: the coordinator; whoever raised it; the supervisor it is
  assigned to; a partner asked to agree to pair supervision sees that it is offered, not the text.
- supervision notes: their author only.
- an issue on a group session's agenda: only the anonymised summary the coordinator wrote.
"""

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from pairs.models import Concern, Pair
from programmes.models import GroupSession, Programme


class SupervisorKind(models.TextChoices):
    INTERNAL = "internal", "Internal"
    EXTERNAL = "external", "External"


class Supervisor(models.Model):
    """A place in the programme's pool of supervisors: a person with the supervisor role and how
    many cases they take at once."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="supervisors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=SupervisorKind.choices)
    capacity = models.PositiveSmallIntegerField(
        "active cases at most", default=3, help_text="How many referrals they take at once."
    )
    background = models.CharField(
        max_length=300, blank=True, help_text="E.g. accredited coaching supervisor, HR partner."
    )

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="supervisor_once"),
            models.CheckConstraint(
                condition=models.Q(capacity__lte=50), name="supervisor_capacity_sane"
            ),
        ]
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display().lower()} supervisor)"


class Urgency(models.TextChoices):
    """Urgent means safeguarding: the coordinator is e-mailed at once."""

    URGENT = "urgent", "Urgent: someone's safety or wellbeing is at risk"
    SOON = "soon", "Soon: within a week"
    ROUTINE = "routine", "Routine"


URGENCY_ORDER = {Urgency.URGENT: 0, Urgency.SOON: 1, Urgency.ROUTINE: 2}


class Concerning(models.TextChoices):
    PERSON = "person", "One person"
    PAIR = "pair", "The pair"


class Route(models.TextChoices):
    """Where the coordinator sends a referral."""

    COORDINATOR = "coordinator", "The coordinator handles it"
    INDIVIDUAL = "individual", "Individual supervision"
    PAIR = "pair", "Pair supervision"
    GROUP = "group", "Group supervision (anonymised)"


class ReferralStatus(models.TextChoices):
    NEW = "new", "Waiting for the coordinator"
    WITH_COORDINATOR = "with_coordinator", "Being handled by the coordinator"
    AWAITING_CONSENT = "awaiting_consent", "Waiting for agreement"
    CONSENT_REFUSED = "consent_refused", "Agreement not given"
    AWAITING_ASSIGNMENT = "awaiting_assignment", "Waiting for a supervisor to be chosen"
    AWAITING_SUPERVISOR = "awaiting_supervisor", "Waiting for the supervisor to accept"
    IN_SUPERVISION = "in_supervision", "In supervision"
    ON_GROUP_AGENDA = "on_group_agenda", "On a group supervision agenda"
    DECLINED = "declined", "Declined"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = frozenset(ReferralStatus) - {ReferralStatus.DECLINED, ReferralStatus.CLOSED}
# Statuses in which a supervisor carries the case (what counts against their capacity).
ACTIVE_CASE_STATUSES = frozenset(
    {ReferralStatus.AWAITING_SUPERVISOR, ReferralStatus.IN_SUPERVISION}
)


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    CONTINUING = "continuing", "Continuing"
    END_PAIR = "end_pair", "Recommend ending the pair, without blame"
    SAFEGUARDING = "safeguarding", "Safeguarding escalation"


class Referral(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="referrals")
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="referrals")
    concerning = models.CharField(
        "whom it concerns", max_length=10, choices=Concerning.choices, default=Concerning.PERSON
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The partner it concerns, when it concerns one person.",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_as = models.CharField(max_length=20, help_text="The role of whoever raised it.")
    text = models.TextField("what it is about")
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    status = models.CharField(
        max_length=30, choices=ReferralStatus.choices, default=ReferralStatus.NEW
    )
    route = models.CharField(max_length=20, choices=Route.choices, blank=True)
    supervisor = models.ForeignKey(
        Supervisor, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    decline_reason = models.TextField(
        blank=True, help_text="Declined: the reason, which whoever raised it reads."
    )
    group_summary = models.TextField(
        "anonymised summary for the group",
        blank=True,
        help_text="For group supervision: what the group sees; nothing that identifies anyone.",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    concern = models.ForeignKey(
        Concern,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
        help_text="The confidential concern it came from, if any.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["programme", "status"], name="referral_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(concerning="pair") | models.Q(person__isnull=False),
                name="referral_names_its_person",
            )
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} (confidential)"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def with_both_partners(self) -> bool:
        """About the pair, or supervised as a pair: it is with both partners."""
        return self.concerning == Concerning.PAIR or self.route == Route.PAIR


class EventKind(models.TextChoices):
    RAISED = "raised", "Raised"
    ROUTED = "routed", "Routed"
    CONSENT_GIVEN = "consent_given", "Agreed to supervision"
    CONSENT_REFUSED = "consent_refused", "Did not agree to supervision"
    ASSIGNED = "assigned", "Assigned to a supervisor"
    ACCEPTED = "accepted", "Accepted by the supervisor"
    HANDED_BACK = "handed_back", "Handed back by the supervisor"
    ON_AGENDA = "on_agenda", "Put on a group supervision agenda"
    DECLINED = "declined", "Declined"
    OUTCOME = "outcome", "Outcome recorded"
    CLOSED = "closed", "Closed"


class ReferralEvent(models.Model):
    """Each decision on a referral, who made it and when. `note` holds a reason for the people
    who may read the referral (never copied into a log or an e-mail)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="referral__programme__organisation")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Consent(models.Model):
    """A person asked to agree before supervision goes ahead: both partners for pair supervision,
    whoever raised it for group supervision."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agreed = models.BooleanField(null=True, help_text="Not answered yet while empty.")
    answered_at = models.DateTimeField(null=True, blank=True)
    asked_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="referral__programme__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "user"], name="consent_asked_once")
        ]

    def __str__(self) -> str:
        return f"Consent for referral {self.referral_id}"


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIRTUAL = "virtual", "Virtual"


class SupervisionSession(models.Model):
    """A session the supervisor books for a case: with the person, or with both partners."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField("starts at")
    duration_minutes = models.PositiveSmallIntegerField("length in minutes", default=60)
    mode = models.CharField(max_length=10, choices=SessionMode.choices)
    place = models.CharField(
        "place or joining link", max_length=300, help_text="Where, or how to join."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="referral__programme__organisation")

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"Supervision session on {self.starts_at:%Y-%m-%d}"


class SupervisionNote(models.Model):
    """The supervisor's own notes on a case: nobody else ever reads them."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="referral__programme__organisation")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return "Supervision note (confidential)"


DEFAULT_GROUND_RULES = """What is said here stays here: use what you hear, never say who said it \
(the Chatham House rule).
Speak from your own experience; nobody has to share more than they choose.
No names, and no detail that would identify a colleague outside the room.
Nothing said here counts against anyone, in appraisal, promotion or anything else.
Listen to understand: the point is the system, not who is to blame."""


class GroupSupervision(models.Model):
    """What makes a combined group session (stage 8 or 9) a supervised one: who facilitates it."""

    session = models.OneToOneField(
        GroupSession, on_delete=models.CASCADE, related_name="supervision"
    )
    facilitator = models.ForeignKey(
        Supervisor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_facilitator = models.CharField(
        "or an external facilitator", max_length=150, blank=True
    )
    ground_rules = models.TextField(
        "confidentiality ground rules",
        default=DEFAULT_GROUND_RULES,
        help_text="Each attendee acknowledges them before the session.",
    )
    analysis_days_ahead = models.PositiveSmallIntegerField(
        "send the analysis of themes this many days ahead",
        default=7,
        help_text="Everyone invited, and the facilitator, receives it once.",
    )
    notes = models.TextField(
        "notes for the attendees", blank=True, help_text="Shared with those who attended."
    )
    notes_shared_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="session__programme__organisation")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(analysis_days_ahead__gte=1, analysis_days_ahead__lte=30),
                name="analysis_days_ahead_sane",
            )
        ]

    def __str__(self) -> str:
        return f"Facilitation of {self.session}"


class AgendaIssue(models.Model):
    """An issue on a group session's agenda: the coordinator's anonymised summary of a referral
    whose raiser agreed to it being discussed by the group."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="issues")
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_issue"
    )
    summary = models.TextField(
        "anonymised summary", help_text="No names, roles or details that would identify anyone."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="session__programme__organisation")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return "Agenda issue (anonymised)"


class Attendance(models.Model):
    """Who was invited to a combined group session and whether they came."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    attended = models.BooleanField(null=True, help_text="Not recorded yet while empty.")
    ground_rules_acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="session__programme__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="invited_to_a_session_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.session}"
