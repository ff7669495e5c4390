from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from notifications.registry import register_sweep_job

        from .services import reports_requeue_stale

        register_sweep_job(
            "reports lost on the way",
            lambda sweep: reports_requeue_stale(organisation=sweep.organisation, now=sweep.now),
        )
