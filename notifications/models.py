"""What is due for whom, the daily digest that carries it, and each organisation's sweep."""

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from organisations.models import Organisation


class Digest(models.Model):
    """One person's reminders for one day in their organisation's time zone: at most one e-mail.

    The row is the claim: a sweep takes it with a conditional UPDATE, so two sweeps never both
    send it, and a claim older than the lease (a sweep that died) is taken over by the next one.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    claim_token = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "recipient", "day"], name="notifications_one_digest_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Digest for {self.recipient} on {self.day}"


class Reminder(models.Model):
    """One thing to tell one person, due at a time; delivered in that day's digest, once.

    `key` is unique per (what, whom, when), so recording the same reminder twice is a no-op.
    `topic` names what the reminder is about (e.g. "programme:12"), so the app that produced it
    can forget the unsent ones when what they said no longer holds.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=60, blank=True, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    due_at = models.DateTimeField()
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        indexes = [
            models.Index(fields=["sent_at", "due_at"], name="notifications_reminder_due"),
            models.Index(fields=["recipient", "due_at"], name="notifications_reminder_inbox"),
        ]
        ordering = ["due_at"]

    def __str__(self) -> str:
        return self.subject


class ReminderMark(models.Model):
    """That the sweep has recorded the reminders of one thing as it stood (a stage and its start
    date, a quiet pair and the day it last met), whoever they went to, nobody even: the apps'
    queries of what is due leave out what is marked, so nothing is offered twice. `topic` is the
    reminders', so that forgetting them when what they said changes forgets the mark too."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=60, blank=True)
    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        indexes = [models.Index(fields=["organisation", "topic"], name="notifications_mark_topic")]

    def __str__(self) -> str:
        return self.key


class OrganisationSweep(models.Model):
    """The lease that keeps an organisation's sweep from running twice at once, and when it last
    finished (what the health check reports)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="sweep"
    )
    running_until = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    def __str__(self) -> str:
        return f"Sweep of {self.organisation}"


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be delivered"


class OutboxMessage(models.Model):
    """One e-mail to one address, recorded in the transaction of the change that causes it and
    sent later by a worker, which claims it first and marks it after. `key` is unique per
    (what, whom, when), so recording the same e-mail twice is a no-op; `message_id` stays the
    same on every attempt, so a copy sent twice is one message to a mail client."""

    key = models.CharField(max_length=200, unique=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    to = models.EmailField(max_length=254)
    from_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    message_id = models.CharField(max_length=255)
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    refusals = models.PositiveSmallIntegerField(
        default=0, help_text="How many times the mail server refused the address outright."
    )
    next_attempt_at = models.DateTimeField()
    claim_token = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What went wrong, as the kind of failure and the server's code: never the message's text.
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["organisation", "to", "status"], name="outbox_address"),
        ]

    def __str__(self) -> str:
        return f"E-mail {self.key} ({self.get_status_display().lower()})"


class Heartbeat(models.Model):
    """When a periodic task last completed, by name (what the health check reports)."""

    name = models.CharField(max_length=60, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M}"
