"""Replaying the demo's history through the apps' services, each step on the day it happened."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

_real_now = timezone.now


@contextmanager
def as_of(moment: datetime) -> Iterator[None]:
    """Run the services as if it were `moment`.

    The services stamp what they write with `timezone.now()`, and so do the models' auto_now
    fields: a meeting logged ten weeks ago, a task ticked off in stage 2 or a pair published when
    stage 5 began would otherwise all carry today. Inside this block `now` is `moment`, so every
    row carries the day it happened in the story, and each rule a service applies to "today"
    (a survey takes answers only while it is open) is applied to that day. Only ever used by the
    seed_demo command, in its own process or a test's. Nothing may happen after the real now.
    """
    if moment > _real_now():
        raise ValueError(f"The demo cannot record {moment:%Y-%m-%d %H:%M}: it is in the future.")
    previous = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = previous
