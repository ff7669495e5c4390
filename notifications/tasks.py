import logging

from celery import shared_task
from django.utils import timezone

from organisations.models import Organisation
from organisations.tasks import tenant_task

from .health import SWEEP_HEARTBEAT
from .models import Heartbeat
from .outbox import DELIVER_TASK, outbox_deliver
from .selectors import work_due
from .services import organisation_sweep

logger = logging.getLogger(__name__)


@shared_task(name="notifications.sweep", time_limit=120, soft_time_limit=100)
def sweep() -> int:
    """The one periodic task: one query finds the organisations with something due, and each
    gets a sweep task of its own, so several workers share the work and one organisation's
    failure never holds up another's. Returns how many were queued."""
    due = work_due(timezone.now())
    for organisation_id, work in sorted(due.items()):
        sweep_organisation.delay(organisation_id, sorted(work))
    deliver_outbox.delay()  # what a failed attempt left for later, and anything not yet sent
    Heartbeat.objects.update_or_create(name=SWEEP_HEARTBEAT, defaults={"at": timezone.now()})
    return len(due)


@tenant_task(
    name="notifications.sweep_organisation", model=Organisation, organisation="", time_limit=300
)
def sweep_organisation(organisation: Organisation, due: list[str] | None = None) -> int | None:
    """Record and send what is due in one organisation (`due`: what the beat found due there);
    returns e-mails sent (None: its sweep was already running elsewhere)."""
    return organisation_sweep(organisation=organisation, now=timezone.now(), due=due)


@shared_task(name=DELIVER_TASK, time_limit=300, soft_time_limit=270)
def deliver_outbox() -> int:
    """Send every e-mail that is due. Queued after each recording and by every sweep."""
    return outbox_deliver().sent
