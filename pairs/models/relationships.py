"""What happens once pairs are published: agreements, meetings, pulses, check-ins, concerns."""

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from .selection import CheckInStatus, Pair

SCALE = [(n, str(n)) for n in range(1, 6)]


class Agreement(models.Model):
    """One version of how a pair will work together; agreed when both partners confirm it.

    Either partner may propose a change: that is a new version, which the other confirms.
    """

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveSmallIntegerField()
    meeting_frequency = models.CharField("how often we meet", max_length=200)
    meeting_place = models.CharField("where we meet", max_length=200)
    confidentiality = models.TextField("what stays between us")
    ground_rules = models.TextField("our ground rules")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    senior_confirmed_at = models.DateTimeField(null=True, blank=True)
    junior_confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="pair__programme__organisation")

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "version"], name="one_agreement_version")
        ]

    def __str__(self) -> str:
        return f"Agreement v{self.version} of {self.pair}"

    @property
    def agreed(self) -> bool:
        return bool(self.senior_confirmed_at and self.junior_confirmed_at)


class LearningGoal(models.Model):
    """A partner's own learning goal: both partners set theirs; neither is the 'mentee'."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="goals")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="pair__programme__organisation")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIRTUAL = "virtual", "Virtual"


class Meeting(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField("length in minutes")
    mode = models.CharField("in person or virtual", max_length=20, choices=MeetingMode.choices)
    location = models.CharField("where", max_length=200, blank=True)
    shared_notes = models.TextField("shared notes", blank=True, help_text="Both of you see these.")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="pair__programme__organisation")

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["pair", "date"], name="meeting_pair_date_idx")]

    def __str__(self) -> str:
        return f"Meeting of {self.pair} on {self.date}"


class Reflection(models.Model):
    """A private reflection on a meeting: only its author ever sees it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="meeting__pair__programme__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "author"], name="one_reflection_each")
        ]

    def __str__(self) -> str:
        return "Private reflection"


class Pulse(models.Model):
    """A partner's private pulse after a meeting. Coordinators see only the flags it raises."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="pulses")
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="pulses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    spoke_openly = models.PositiveSmallIntegerField("I could speak openly", choices=SCALE)
    learned = models.PositiveSmallIntegerField("I learned something", choices=SCALE)
    partner_learned = models.PositiveSmallIntegerField(
        "My partner learned something", choices=SCALE
    )
    going = models.PositiveSmallIntegerField("How the relationship is going", choices=SCALE)
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="pair__programme__organisation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "author"], name="one_pulse_each")]

    def __str__(self) -> str:
        return "Pulse (confidential)"


class SteeringCheckIn(models.Model):
    """A steering-group member's informal check-in with a pair they look after."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="checkins")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField()
    status = models.CharField(max_length=20, choices=CheckInStatus.choices)
    note = models.TextField("note for the coordinator", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="pair__programme__organisation")

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"Check-in with {self.pair} on {self.date}"


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Concern(models.Model):
    """A partner tells the coordinator, privately, that something is wrong. The partner is not
    told."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField("what worries you")
    status = models.CharField(max_length=10, choices=ConcernStatus.choices, default="open")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="pair__programme__organisation")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return "Confidential concern"


class SupervisionWish(models.TextChoices):
    """Raising a concern, whether the partner would like a supervisor's help with it too."""

    NO = "", "No: the coordinator reads it and decides with me"
    YES = "yes", "Yes, I would like a supervisor's help with it"
    URGENT = "urgent", "Yes, urgently: someone's safety or wellbeing is at risk"


class ConcernActionKind(models.TextChoices):
    TALK = "talk", "Talked with them"
    SUPPORT = "support", "Arranged support"
    REFER = "refer", "Referred to supervision"
    END_PAIR = "end_pair", "Ended the pair without blame"
    REMATCH = "rematch", "Rematched"
    CLOSE = "close", "Closed the concern"


class ConcernAction(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="actions")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ConcernActionKind.choices)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="concern__pair__programme__organisation")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()
