import secrets

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from .programme import Programme


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
