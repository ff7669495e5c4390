import secrets

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from organisations.models import Organisation

from .programme import Programme


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
                fields=["organisation", "recipient", "day"], name="one_digest_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Digest for {self.recipient} on {self.day}"


class Reminder(models.Model):
    """One thing to tell one person, due at a time; delivered in that day's digest, once.

    `key` is unique per (what, whom, when), so scheduling the same reminder twice is a no-op.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, null=True, on_delete=models.CASCADE, related_name="+")
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
            models.Index(fields=["sent_at", "due_at"], name="reminder_due_idx"),
            models.Index(fields=["recipient", "due_at"], name="reminder_inbox_idx"),
        ]
        ordering = ["due_at"]

    def __str__(self) -> str:
        return self.subject


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's secret iCalendar address for one programme; resetting it changes the token."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="one_feed_per_person")
        ]

    def __str__(self) -> str:
        return f"Calendar of {self.programme} for {self.user}"
