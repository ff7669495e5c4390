"""The demo's story: its data files under demo/data, and the days its dates count from."""

import math
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DATA = Path(__file__).resolve().parent / "data"

Data = dict[str, Any]


def read(name: str) -> Data:
    """One data file, e.g. read("pilot") for demo/data/pilot.toml."""
    with (DATA / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


@dataclass(frozen=True)
class Days:
    """A programme's calendar. Its data gives every date as a `day`: days after the programme's
    relationships started (negative: before), which was `started_days_ago` before today."""

    start: date
    zone: ZoneInfo

    @classmethod
    def counting_back(cls, *, today: date, started_days_ago: int, zone: ZoneInfo) -> "Days":
        return cls(start=today - timedelta(days=started_days_ago), zone=zone)

    def date(self, day: float) -> date:
        return self.start + timedelta(days=math.floor(day))

    def working_day(self, day: float) -> date:
        """The day, or the Friday before it if it falls at a weekend: people meet at work, and
        moving back never moves a past meeting into the future."""
        found = self.date(day)
        return found - timedelta(days=found.weekday() - 4) if found.weekday() > 4 else found

    def at(self, day: float, clock: str = "10:00") -> datetime:
        return self.on(self.date(day), clock)

    def on(self, day: date, clock: str = "10:00") -> datetime:
        return datetime.combine(day, time.fromisoformat(clock), self.zone)
