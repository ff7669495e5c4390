import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from celery import Task, current_app, shared_task
from django.db import models, transaction
from django_scopes import scope

from .models import Organisation, PersonalExport

logger = logging.getLogger(__name__)
Row = TypeVar("Row", bound=models.Model)


def enqueue_on_commit(
    task_name: str, *args: Any, on_failure: Callable[[Exception], None] | None = None
) -> None:
    """Queue a task by its name once the current transaction commits. Services name the task
    rather than import it, so the task module may import the services it calls.

    A broker that cannot be reached never fails the request that committed: the failure is
    logged and handed to `on_failure` (the periodic sweep picks up whatever was left).
    """

    def enqueue() -> None:
        signature = current_app.signature(task_name, args=args)
        if current_app.conf.task_always_eager:  # tests run the task here: its errors are its own
            signature.delay()
            return
        try:
            signature.delay()
        except Exception as error:  # the broker is down or refusing: the work waits in the DB
            logger.warning("Could not queue %s (%s)", task_name, type(error).__name__)
            if on_failure is not None:
                on_failure(error)

    transaction.on_commit(enqueue)


def tenant_task(
    *,
    name: str,
    model: type[Row],
    organisation: str = "organisation",
    time_limit: int,
    **options: Any,
) -> Callable[[Callable[..., Any]], Task]:
    """A Celery task that takes the id of one tenant-owned row: it loads the row, enters its
    organisation's scope once, and calls the function with the row (and any further arguments).

    `organisation` is the path from the row to its organisation ("" for an organisation itself).
    A row deleted meanwhile is nothing to do, not an error.
    """

    def decorator(function: Callable[..., Any]) -> Task:
        @shared_task(
            name=name, time_limit=time_limit, soft_time_limit=time_limit * 9 // 10, **options
        )
        @wraps(function)
        def task(row_id: int, *args: Any, **kwargs: Any) -> Any:
            rows = model._default_manager
            rows = rows.with_scopes_disabled() if hasattr(rows, "with_scopes_disabled") else rows
            row = rows.select_related(organisation or None).filter(pk=row_id).first()
            if row is None:
                return None
            owner = row
            for step in filter(None, organisation.split("__")):
                owner = getattr(owner, step)
            assert isinstance(owner, Organisation)
            with scope(organisation=owner):
                return function(row, *args, **kwargs)

        return task

    return decorator


PERSONAL_EXPORT_TASK = "organisations.build_personal_export"


@tenant_task(name=PERSONAL_EXPORT_TASK, model=PersonalExport, time_limit=300)
def build_personal_export(export: PersonalExport) -> None:
    # Imported here: the export services queue this task through this module.
    from .personal_exports import personal_export_build

    personal_export_build(export=export)
