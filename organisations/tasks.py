import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from celery import Task, current_app, shared_task
from django.db import IntegrityError, InterfaceError, OperationalError, models, transaction
from django_scopes import scope

from .models import Organisation, PersonalExport

logger = logging.getLogger(__name__)
Row = TypeVar("Row", bound=models.Model)


def enqueue(
    task_name: str, *args: Any, on_failure: Callable[[Exception], None] | None = None
) -> None:
    """Queue a task by its name now. Services name the task rather than import it, so the task
    module may import the services it calls.

    A broker that cannot be reached never fails the request: the failure is logged and handed to
    `on_failure` (which keeps the work somewhere else, e.g. in the database for the sweep).
    """
    signature = current_app.signature(task_name, args=args)
    if current_app.conf.task_always_eager:  # tests run the task here: its errors are its own
        signature.delay()
        return
    try:
        signature.delay()
    except Exception as error:  # the broker is down or refusing
        logger.warning("Could not queue %s (%s)", task_name, type(error).__name__)
        if on_failure is not None:
            on_failure(error)


def enqueue_on_commit(
    task_name: str, *args: Any, on_failure: Callable[[Exception], None] | None = None
) -> None:
    """Queue a task by its name once the current transaction commits (see `enqueue`); the
    periodic sweep picks up whatever a broker that was down left in the database."""
    transaction.on_commit(lambda: enqueue(task_name, *args, on_failure=on_failure))


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
AUDIT_ENTRY_TASK = "organisations.write_audit_entry"


@tenant_task(name=PERSONAL_EXPORT_TASK, model=PersonalExport, time_limit=300)
def build_personal_export(export: PersonalExport) -> None:
    # Imported here: the export services queue this task through this module.
    from .personal_exports import personal_export_build

    personal_export_build(export=export)


@shared_task(
    name=AUDIT_ENTRY_TASK,
    time_limit=60,
    soft_time_limit=50,
    # The database away (or a person deleted while the entry waited): tried again, with waits
    # growing to five minutes, and never given up, so no reading goes unrecorded.
    autoretry_for=(OperationalError, InterfaceError, IntegrityError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=None,
)
def write_audit_entry(entry: dict[str, Any]) -> None:
    # Imported here: the audit module queues this task through this module.
    from .audit import audit_entry_write

    audit_entry_write(entry=entry)
