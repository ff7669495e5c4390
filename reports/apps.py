from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from . import navigation

        navigation.register()
        from notifications.registry import register_sweep_job
        from organisations.panels import register_panel
        from themes.hooks import analysis_sent
        from themes.pages import ANALYSIS_PAGE

        from .panels import analysis_pdf_panel
        from .services import analysis_pdf_request, reports_requeue_stale

        analysis_sent.connect(analysis_pdf_request)
        register_panel(
            ANALYSIS_PAGE, template="reports/_analysis_pdf.html", context=analysis_pdf_panel
        )
        register_sweep_job(
            "reports lost on the way",
            lambda sweep: reports_requeue_stale(organisation=sweep.organisation, now=sweep.now),
        )
