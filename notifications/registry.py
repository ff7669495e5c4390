"""The apps that remind people of things register here (in their AppConfig.ready); the sweep asks
each of them what is due. Notifications knows none of them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property

from django.conf import settings
from django.utils import timezone

from organisations.models import Organisation

from .models import Reminder


def local_morning(day: date, organisation: Organisation) -> datetime:
    """When a reminder for `day` becomes due: the digest hour in the organisation's time zone."""
    return datetime.combine(day, time(settings.DIGEST_LOCAL_HOUR), tzinfo=organisation.zone)


@dataclass(frozen=True)
class SweepContext:
    """What a producer needs to know of the sweep asking it."""

    organisation: Organisation
    now: datetime

    @cached_property
    def today(self) -> date:
        return timezone.localdate(self.now, self.organisation.zone)

    @cached_property
    def this_morning(self) -> datetime:
        return local_morning(self.today, self.organisation)


ReminderProducer = Callable[[SweepContext], Iterable[Reminder]]
_producers: dict[str, ReminderProducer] = {}


def register_reminders(name: str, producer: ReminderProducer) -> None:
    """`producer` returns the (unsaved) reminders due by the sweep's `now`; recording one that
    was recorded before is harmless, since each key is unique."""
    _producers[name] = producer


def reminder_producers() -> dict[str, ReminderProducer]:
    return dict(_producers)


SweepJob = Callable[[SweepContext], object]
_jobs: dict[str, SweepJob] = {}


def register_sweep_job(name: str, job: SweepJob) -> None:
    """Other periodic work of an app, done in each organisation's sweep (so there is one beat
    task and one schedule), e.g. queueing again reports that were lost on the way."""
    _jobs[name] = job


def sweep_jobs() -> dict[str, SweepJob]:
    return dict(_jobs)
