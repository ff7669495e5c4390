"""Celery's configuration: tasks are acknowledged late, time-limited, and one beat entry."""


def test_celery_is_configured_for_safe_delivery():
    from config.celery import app

    app.loader.import_default_modules()  # what a worker does at start: discover the tasks
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_time_limit
    for name in [
        "notifications.sweep",
        "reports.render_report",
        "notifications.deliver_outbox",
    ]:
        assert app.tasks[name].time_limit, name
    assert [entry["task"] for entry in app.conf.beat_schedule.values()] == ["notifications.sweep"]
