"""What is due, worked out in SQL across every organisation at once, each on its own day.

The beat asks every app, in one query, which organisations have something newly due; an
organisation's sweep asks the same queries for its own rows. So "due" is one definition, read the
same way in both places. An organisation's day is its own (its time zone), so the queries work
out each one's local date in the database: `LocalDate` and `LocalHour`, and the date arithmetic
the rules need (`AddDays`, `AddMonths`, `WholeDays`), on PostgreSQL natively and on SQLite (the
embedded default and the tests) through functions registered on each connection.
"""

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from math import floor

from dateutil.relativedelta import relativedelta
from django.db.backends.signals import connection_created
from django.db.models import (
    Case,
    CharField,
    DateField,
    Expression,
    F,
    Field,
    Func,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import Exact

# The earliest and latest local dates on Earth at one instant (UTC-12 to UTC+14).
LOCAL_DAYS_AROUND_UTC = (-1, 0, 1)


class _DueFunc(Func):
    """A function of two arguments: `postgresql` is its SQL there, with {0} and {1} for them;
    on SQLite it calls `sqlite` (registered below)."""

    arity = 2
    postgresql = ""
    sqlite = ""

    def as_postgresql(self, compiler, connection, **extra):
        (first, first_params), (second, second_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return self.postgresql.format(first, second), (*first_params, *second_params)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function=self.sqlite)


class LocalDate(_DueFunc):
    """The date of a moment (a timestamp) in a time zone named by an expression."""

    output_field = DateField()
    postgresql = "((({0}) AT TIME ZONE ({1}))::date)"
    sqlite = "due_local_date"


class LocalHour(_DueFunc):
    """The hour (0-23) of a moment in a time zone named by an expression."""

    output_field = IntegerField()
    postgresql = "(EXTRACT(HOUR FROM ({0}) AT TIME ZONE ({1}))::integer)"
    sqlite = "due_local_hour"


class AddDays(_DueFunc):
    """A date some whole (possibly negative) number of days later."""

    output_field = DateField()
    postgresql = "(({0}) + ({1})::integer)"
    sqlite = "due_add_days"


class AddMonths(_DueFunc):
    """A date some number of months later, kept inside the month it lands in (31 January and a
    month is 28 or 29 February), as `dateutil.relativedelta` counts."""

    output_field = DateField()
    postgresql = "((({0}) + make_interval(months => ({1})::integer))::date)"
    sqlite = "due_add_months"


class WholeDays(_DueFunc):
    """Whole days from the second date or moment to the first (as `timedelta.days` counts)."""

    output_field = IntegerField()
    postgresql = (
        "(FLOOR(EXTRACT(EPOCH FROM (({0})::timestamptz - ({1})::timestamptz)) / 86400)::integer)"
    )
    sqlite = "due_whole_days"


def _moment(text: str) -> datetime:
    """A timestamp as SQLite holds it for Django: UTC, without its zone."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _day_or_moment(text: str) -> datetime:
    return _moment(text if " " in text or "T" in text else f"{text} 00:00:00")


def _nullable(function: Callable[..., object]) -> Callable[..., object]:
    def on_values(*values: object) -> object:
        return None if any(v is None for v in values) else function(*values)

    return on_values


SQLITE_FUNCTIONS: dict[str, Callable[..., object]] = {
    "due_local_date": lambda at, zone: (
        _moment(at).astimezone(zoneinfo.ZoneInfo(zone)).date().isoformat()
    ),
    "due_local_hour": lambda at, zone: _moment(at).astimezone(zoneinfo.ZoneInfo(zone)).hour,
    "due_add_days": lambda day, days: (
        date.fromisoformat(day) + timedelta(days=int(days))
    ).isoformat(),
    "due_add_months": lambda day, months: (
        date.fromisoformat(day) + relativedelta(months=int(months))
    ).isoformat(),
    "due_whole_days": lambda later, earlier: floor(
        (_day_or_moment(later) - _day_or_moment(earlier)) / timedelta(days=1)
    ),
}


def register_sqlite_functions(sender: object, connection: object, **_: object) -> None:
    if getattr(connection, "vendor", "") != "sqlite":
        return
    for name, function in SQLITE_FUNCTIONS.items():
        connection.connection.create_function(name, 2, _nullable(function), deterministic=True)


connection_created.connect(register_sqlite_functions, dispatch_uid="notifications.due")


@dataclass(frozen=True)
class Due:
    """The moment a query of due work is asked for, and the path from the rows it reads to
    their organisation, whose time zone says what day it is there."""

    now: datetime
    organisation: str  # e.g. "programme__organisation"; "" for an organisation itself

    def _path(self, field: str) -> str:
        return f"{self.organisation}__{field}" if self.organisation else field

    @property
    def zone(self) -> F:
        return F(self._path("time_zone"))

    def today(self) -> LocalDate:
        """The organisation's date now."""
        return LocalDate(Value(self.now), self.zone)

    def local_date(self, moment: str | Expression) -> LocalDate:
        """The organisation's date of a moment (a field's name, or an expression)."""
        return LocalDate(F(moment) if isinstance(moment, str) else moment, self.zone)

    def local_hour(self) -> LocalHour:
        return LocalHour(Value(self.now), self.zone)

    def on_each_day(self, value: Callable[[date], object], output_field: Field) -> Case:
        """A value that depends only on the organisation's date (say, this week's number), worked
        out here for each date it can be somewhere now and chosen in the query."""
        utc_day = self.now.astimezone(UTC).date()
        days = [utc_day + timedelta(days=offset) for offset in LOCAL_DAYS_AROUND_UTC]
        return Case(
            *(When(Exact(self.today(), day), then=Value(value(day))) for day in days),
            output_field=output_field,
        )


def mark_of(kind: str, *parts: str | Expression) -> Concat:
    """The key of what a reminder is about, as it stands, worked out in the query:
    `kind:part:part`, each part a field's name or an expression."""
    pieces: list[Expression] = [Value(f"{kind}:")]
    for index, part in enumerate(parts):
        if index:
            pieces.append(Value(":"))
        pieces.append(Cast(F(part) if isinstance(part, str) else part, CharField()))
    return Concat(*pieces, output_field=CharField())


DueQuery = Callable[[Due], QuerySet]
