"""The systemic-change loop: themes the pairs capture, recurring themes across the cohort, the
agenda of the combined sessions, the analysis sent before each, and the register of systemic
issues with their actions.

Who sees what (the architecture guide's table):
- a draft theme: its pair only;
- a shared theme: its pair, the coordinator and the sessions' facilitators, without the pair's
  names unless both partners chose to put their names to it; the executive: counts only;
- recurring themes: how many pairs raised them, never which pair;
- the register: every role reads it, the coordinator keeps it.
"""

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from pairs.models import Meeting, Pair
from programmes.models import GroupSession, Programme

TITLE_MAX = 120
TEXT_MAX = 4000


class System(models.TextChoices):
    """The part of the organisation's systems a theme or an issue touches."""

    RECRUITMENT = "recruitment", "Recruitment"
    PROMOTION = "promotion", "Promotion and progression"
    CULTURE = "culture", "Everyday culture"
    LANGUAGE = "language", "Language"
    DATA = "data", "Data we do not have"
    POLICY = "policy", "Policy"
    LEADERSHIP = "leadership", "Leadership behaviour"
    OTHER = "other", "Something else"


class Source(models.TextChoices):
    PAIR = "pair", "From our conversations"
    PEERS = "peers", "Topics from my peers"


class RecurringStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed by similarity"
    ACCEPTED = "accepted", "Accepted"


class RecurringTheme(models.Model):
    """Shared themes from several pairs that say the same thing: a clue to a systemic issue."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="recurring_themes"
    )
    title = models.CharField(max_length=TITLE_MAX)
    system = models.CharField(max_length=20, choices=System.choices, blank=True)
    status = models.CharField(
        max_length=10, choices=RecurringStatus.choices, default=RecurringStatus.ACCEPTED
    )
    shared_words = models.CharField(
        max_length=200, blank=True, help_text="For a proposal: the words its themes share."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class GroupingRun(models.Model):
    """The coordinator asked for groupings to be proposed; a worker proposes them."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    proposed = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Grouping run {self.pk}"


class Theme(models.Model):
    """What a pair noticed, or a topic one partner gathered from their peers. The pair's draft
    until both partners agree to share it with the cohort."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="themes")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PAIR)
    title = models.CharField("a short title", max_length=TITLE_MAX)
    noticed = models.TextField("what we noticed")
    system = models.CharField(
        "the part of the organisation's systems it touches", max_length=20, choices=System.choices
    )
    quick_win = models.BooleanField("a quick-win candidate", default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    named = models.BooleanField(
        default=False, help_text="Both partners put their names to it when they shared it."
    )
    # In an analysis that has gone out: it can no longer be withdrawn.
    locked_at = models.DateTimeField(null=True, blank=True)
    recurring = models.ForeignKey(
        RecurringTheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="themes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="pair__programme__organisation")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["pair", "shared_at"], name="theme_pair_shared_idx")]

    def __str__(self) -> str:
        return "Theme (confidential)"

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None


class ThemeConsent(models.Model):
    """One partner agrees to share a theme (and whether with the pair's names)."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    with_names = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="theme__pair__programme__organisation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["theme", "user"], name="theme_consent_once")]

    def __str__(self) -> str:
        return f"Consent to share theme {self.theme_id}"


class AgendaItem(models.Model):
    """A recurring theme on a combined session's agenda, with the participant who leads it."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="theme_items")
    recurring = models.ForeignKey(
        RecurringTheme, on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(default=0)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The volunteer the coordinator confirmed.",
    )

    objects = ScopedManager(organisation="session__programme__organisation")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "recurring"], name="agenda_theme_once")
        ]

    def __str__(self) -> str:
        return f"{self.recurring} at {self.session}"


class LeadOffer(models.Model):
    """A participant volunteers to lead an agenda item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="offers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="item__session__programme__organisation")

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="lead_offer_once")]

    def __str__(self) -> str:
        return f"{self.user} offers to lead {self.item}"


class ThemeAnalysis(models.Model):
    """The analysis of themes as it went out before a session: frozen, so the page, the PDF and
    what everyone read agree."""

    session = models.OneToOneField(
        GroupSession, on_delete=models.CASCADE, related_name="theme_analysis"
    )
    sent_at = models.DateTimeField()
    content = models.JSONField(help_text="Ranked recurring themes, what is new, the agenda.")

    objects = ScopedManager(organisation="session__programme__organisation")

    def __str__(self) -> str:
        return f"Analysis of themes for {self.session}"


class IssueStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class SystemicIssue(models.Model):
    """An issue in the organisation's systems that the pairs' themes point to."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="systemic_issues"
    )
    title = models.CharField("the issue", max_length=TITLE_MAX)
    description = models.TextField("what it is", blank=True)
    system = models.CharField("the system it concerns", max_length=20, choices=System.choices)
    data_gaps = models.TextField(
        "data we do not yet have", blank=True, help_text="What would show the inequality."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Often a senior partner or a steering-group member.",
    )
    recurring = models.ManyToManyField(RecurringTheme, related_name="issues", blank=True)
    status = models.CharField(max_length=10, choices=IssueStatus.choices, default="open")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        ordering = ["status", "-created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    TODO = "todo", "Not started"
    DOING = "doing", "Under way"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OPEN_ACTION_STATUSES = (ActionStatus.TODO, ActionStatus.DOING)


class IssueAction(models.Model):
    issue = models.ForeignKey(SystemicIssue, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField("the action", max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    due = models.DateField("due by")
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default="todo")
    quick_win = models.BooleanField("a quick win", default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="issue__programme__organisation")

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


class IssueProgress(models.Model):
    """Progress on an issue or one of its actions, recorded at a combined session or between."""

    issue = models.ForeignKey(SystemicIssue, on_delete=models.CASCADE, related_name="progress")
    action = models.ForeignKey(
        IssueAction, null=True, blank=True, on_delete=models.CASCADE, related_name="progress"
    )
    session = models.ForeignKey(
        GroupSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField("progress")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="issue__programme__organisation")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Progress on {self.issue}"
