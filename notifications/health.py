"""Health checks of the background work, for /health/ (django-health-check): the broker can be
reached, and the periodic sweep has completed recently."""

import dataclasses
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.cache import caches
from django.db.models import Max
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from organisations.cache import FailoverRedisCache

from .models import Heartbeat, OrganisationSweep

SWEEP_HEARTBEAT = "sweep"


@dataclasses.dataclass
class CacheServer(HealthCheck):
    """The cache server answers. The app keeps going on a per-process cache while it does not
    (organisations.cache), so the stock check, which goes through that fallback, would not tell."""

    def run(self) -> None:
        cache = caches["default"]
        try:
            if isinstance(cache, FailoverRedisCache):
                cache.ping()
            else:
                cache.set("health-check", "ok", 5)
                if cache.get("health-check") != "ok":
                    raise ServiceUnavailable("The cache does not keep what it is given")
        except ServiceUnavailable:
            raise
        except Exception as error:
            raise ServiceUnavailable(f"Cache unreachable ({type(error).__name__})") from error


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection."""

    def run(self) -> None:
        try:
            with current_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except Exception as error:
            raise ServiceUnavailable(f"Broker unreachable ({type(error).__name__})") from error


@dataclasses.dataclass
class Sweep(HealthCheck):
    """The periodic sweep (reminders, digests, the outbox's retries) finished lately: within a
    few of its intervals."""

    def run(self) -> None:
        latest = last_sweep_finished()
        if latest is None:
            raise ServiceUnavailable("No sweep has completed yet")
        age = timezone.now() - latest
        allowed = timedelta(seconds=3 * settings.REMINDER_SWEEP_SECONDS)
        if age > allowed:
            minutes = int(age.total_seconds() // 60)
            raise ServiceUnavailable(f"The last sweep completed {minutes} minutes ago")


def last_sweep_finished() -> timezone.datetime | None:
    beat = Heartbeat.objects.filter(name=SWEEP_HEARTBEAT).values_list("at", flat=True).first()
    swept = OrganisationSweep.objects.with_scopes_disabled().aggregate(at=Max("last_finished_at"))
    times = [t for t in (beat, swept["at"]) if t is not None]
    return max(times) if times else None
