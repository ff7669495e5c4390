"""/health/, for load balancers and compose: the database, the cache, the broker, and that the
periodic sweep has completed recently. 200 when every check passes, 500 when one does not; each
check's result by name, as JSON (`Accept: application/json` or `?format=json`) or as lines of text.

Our own few checks rather than a health-check library, which brings a DNS resolver, an SMTP
client and its own checks into every web worker. A check's message is shown to anyone who asks:
it names what is wrong and the kind of error, never an address, a password or a row.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.http import require_GET

from organisations.cache import FailoverRedisCache

from .models import Heartbeat, OrganisationSweep

logger = logging.getLogger(__name__)
SWEEP_HEARTBEAT = "sweep"


class Unavailable(Exception):
    """A service the site needs is down; the message says which and how."""


def database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            answer = cursor.fetchone()
    except Exception as error:
        raise Unavailable(f"Database unreachable ({type(error).__name__})") from error
    if answer != (1,):
        raise Unavailable("The database did not answer SELECT 1 with 1")


def cache_server() -> None:
    """The cache server answers. The app keeps going on a per-process cache while it does not
    (organisations.cache), so a set-and-get, which goes through that fallback, would not tell."""
    cache = caches["default"]
    try:
        if isinstance(cache, FailoverRedisCache):
            cache.ping()
            return
        cache.set("health-check", "ok", 5)
        kept = cache.get("health-check") == "ok"
    except Exception as error:
        raise Unavailable(f"Cache unreachable ({type(error).__name__})") from error
    if not kept:
        raise Unavailable("The cache does not keep what it is given")


def broker() -> None:
    """The Celery broker accepts a connection."""
    from celery import current_app

    try:
        with current_app.connection_for_write() as broker_connection:
            broker_connection.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        raise Unavailable(f"Broker unreachable ({type(error).__name__})") from error


def sweep() -> None:
    """The periodic sweep (reminders, digests, the outbox's retries) finished lately: within a
    few of its intervals."""
    latest = last_sweep_finished()
    if latest is None:
        raise Unavailable("No sweep has completed yet")
    age = timezone.now() - latest
    if age > timedelta(seconds=3 * settings.REMINDER_SWEEP_SECONDS):
        raise Unavailable(f"The last sweep completed {int(age.total_seconds() // 60)} minutes ago")


def last_sweep_finished() -> datetime | None:
    beat = Heartbeat.objects.filter(name=SWEEP_HEARTBEAT).values_list("at", flat=True).first()
    swept = OrganisationSweep.objects.with_scopes_disabled().aggregate(at=Max("last_finished_at"))
    times = [t for t in (beat, swept["at"]) if t is not None]
    return max(times) if times else None


# The names the health-check library gave them, which monitors may already read.
CHECKS: dict[str, Callable[[], None]] = {
    "Database(alias='default')": database,
    "CacheServer()": cache_server,
    "Broker()": broker,
    "Sweep()": sweep,
}


def check_results() -> dict[str, str]:
    """Each check's "OK", or "Unavailable: " and what is wrong."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Unavailable as problem:
            logger.warning("Health check %s failed: %s", name, problem)
            results[name] = f"Unavailable: {problem}"
        except Exception as error:  # a fault of the check itself: its trace goes to the log
            logger.exception("Health check %s could not run", name)
            results[name] = f"Unavailable: the check could not run ({type(error).__name__})"
        else:
            results[name] = "OK"
    return results


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    results = check_results()
    status = 200 if all(result == "OK" for result in results.values()) else 500
    wants_json = request.GET.get("format") == "json" or (
        "format" not in request.GET and "application/json" in request.headers.get("Accept", "")
    )
    if wants_json:
        response = JsonResponse(results, status=status)
    else:
        lines = "".join(f"{name}: {result}\n" for name, result in results.items())
        response = HttpResponse(lines, status=status, content_type="text/plain; charset=utf-8")
    patch_vary_headers(response, ["Accept"])
    add_never_cache_headers(response)
    return response
