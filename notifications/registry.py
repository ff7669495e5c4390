"""The apps that remind people of things, or have other periodic work, register here (in their
AppConfig.ready). Notifications knows none of them.

Each registers, beside what it does, the query of what is newly due (see `due.py`): across every
organisation for the beat, which queues a sweep only for the organisations with something due;
for one organisation in its sweep, which works on those rows alone. A kind of reminder's query
leaves out what is already marked as reminded of, so what was recorded once is never offered
again, and a sweep with nothing new does nothing more than ask.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import cached_property

from django.conf import settings
from django.db.models import Exists, Model, OuterRef, QuerySet, Value
from django.utils import timezone
from django.utils.text import Truncator

from organisations.models import Organisation

from .due import Due, DueQuery
from .models import Reminder, ReminderMark

SUBJECT_LENGTH = Reminder._meta.get_field("subject").max_length


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

    def reminder(
        self,
        about: Model,
        recipient_id: int,
        *,
        subject: str,
        body: str,
        url: str,
        key: str = "",
        due_at: datetime | None = None,
    ) -> Reminder:
        """A reminder to one person about a due row (annotated `topic` and `mark` by its
        kind's query): keyed by the mark and the person unless `key` says otherwise, due this
        morning unless `due_at` does."""
        return Reminder(
            organisation=self.organisation,
            topic=about.topic,
            recipient_id=recipient_id,
            key=key or f"{about.mark}:{recipient_id}",
            # Built from names people chose, a subject can outgrow its column; the insert then
            # failed and took the organisation's whole sweep with it.
            subject=Truncator(subject).chars(SUBJECT_LENGTH),
            body=body,
            url=url,
            due_at=due_at or self.this_morning,
        )


@dataclass(frozen=True, kw_only=True)
class DueWork:
    """Something an app does in the sweep, and the query of the rows it is due for."""

    organisation: str  # the path from the query's rows to their organisation
    due: DueQuery
    name: str = ""

    def everywhere(self, now: datetime) -> QuerySet:
        """The rows due now in every organisation."""
        return self.due(Due(now, self.organisation)).order_by()

    def organisations(self, now: datetime) -> QuerySet:
        """(organisation id, this work's name) for each due row, in every organisation."""
        named = self.everywhere(now).annotate(due_work=Value(self.name))
        return named.values_list(self.organisation or "pk", "due_work")

    def here(self, context: SweepContext) -> QuerySet:
        """The rows due now in the sweep's organisation."""
        mine = {self.organisation or "pk": context.organisation.pk}
        return self.everywhere(context.now).filter(**mine)


# A kind's producer is given the due rows (annotated `mark` and `topic` by its query) and returns
# their unsaved reminders; a row may have nobody to remind, and is marked all the same.
ReminderProducer = Callable[[SweepContext, Sequence[Model]], Iterable[Reminder]]


@dataclass(frozen=True, kw_only=True)
class ReminderKind(DueWork):
    """One kind of reminder: its query of things newly due, each row annotated with `mark` (the
    key of the thing as it stands, see `due.mark_of`) and `topic`; and the producer of their
    reminders."""

    produce: ReminderProducer

    def everywhere(self, now: datetime) -> QuerySet:
        marked = ReminderMark.objects.filter(key=OuterRef("mark"))
        return super().everywhere(now).exclude(Exists(marked))


_kinds: dict[str, ReminderKind] = {}


def register_reminders(name: str, *kinds: ReminderKind) -> None:
    """An app's kinds of reminders, under its name."""
    for index, kind in enumerate(kinds, start=1):
        label = f"{name} ({index})" if len(kinds) > 1 else name
        _kinds[label] = replace(kind, name=label)


def reminder_kinds() -> dict[str, ReminderKind]:
    return dict(_kinds)


SweepJobFunction = Callable[[SweepContext, QuerySet], object]


@dataclass(frozen=True, kw_only=True)
class SweepJob(DueWork):
    """Other periodic work of an app, given its organisation's due rows."""

    job: SweepJobFunction

    def run(self, context: SweepContext) -> object:
        return self.job(context, self.here(context))


_jobs: dict[str, SweepJob] = {}


def register_sweep_job(
    name: str, job: SweepJobFunction, *, organisation: str, due: DueQuery
) -> None:
    """Other periodic work of an app, done in the sweep of each organisation `due` finds rows
    in (so there is one beat task and one schedule), e.g. queueing again reports that were lost
    on the way. `job` is given the organisation's due rows."""
    _jobs[name] = SweepJob(name=name, organisation=organisation, due=due, job=job)


def sweep_jobs() -> dict[str, SweepJob]:
    return dict(_jobs)
