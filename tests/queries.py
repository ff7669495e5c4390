"""What a request did to the database, told apart from the tasks it queued.

In tests Celery runs a queued task at once, in the request's own thread (always eager), so a
capture of the request's queries holds the task's as well. `RequestQueries` records which of the
captured statements ran inside a task (between Celery's prerun and postrun signals), so a test
can ask what the request itself wrote, and what the tasks it queued wrote for it.
"""

import re

from celery.signals import task_postrun, task_prerun
from django.db import connection
from django.test.utils import CaptureQueriesContext

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE|CREATE|ALTER|DROP)\b", re.I)


def writes_in(statements: list[str]) -> list[str]:
    return [sql for sql in statements if WRITE.match(sql)]


class RequestQueries(CaptureQueriesContext):
    def __init__(self) -> None:
        super().__init__(connection)
        self._in_task: list[bool] = []
        self._depth = 0
        self._flags_at = 0

    def __enter__(self) -> "RequestQueries":
        super().__enter__()
        task_prerun.connect(self._task_begins, weak=False)
        task_postrun.connect(self._task_ends, weak=False)
        return self

    def __exit__(self, *exc: object) -> None:
        task_prerun.disconnect(self._task_begins)
        task_postrun.disconnect(self._task_ends)
        self._mark()
        super().__exit__(*exc)

    def _mark(self) -> None:
        """Flag every statement captured since the last change of depth."""
        count = len(self.captured_queries)
        self._in_task.extend([self._depth > 0] * (count - self._flags_at))
        self._flags_at = count

    def _task_begins(self, **_: object) -> None:
        self._mark()
        self._depth += 1

    def _task_ends(self, **_: object) -> None:
        self._mark()
        self._depth -= 1

    def _split(self, in_task: bool) -> list[str]:
        self._mark()
        return [
            query["sql"]
            for query, flag in zip(self.captured_queries, self._in_task, strict=True)
            if flag is in_task
        ]

    @property
    def of_the_request(self) -> list[str]:
        return self._split(False)

    @property
    def of_its_tasks(self) -> list[str]:
        return self._split(True)

    @property
    def request_writes(self) -> list[str]:
        return writes_in(self.of_the_request)

    @property
    def task_writes(self) -> list[str]:
        return writes_in(self.of_its_tasks)
