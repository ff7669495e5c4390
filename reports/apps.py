from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from . import navigation

        navigation.register()
        from notifications.registry import register_sweep_job
        from organisations.panels import register_panel
        from programmes.pages import HOME_PAGE
        from themes.hooks import analysis_sent
        from themes.pages import ANALYSIS_PAGE

        from .home import reports_home
        from .panels import analysis_pdf_panel
        from .services import analysis_pdf_request, reports_requeue, reports_stale

        analysis_sent.connect(analysis_pdf_request)
        register_panel(
            ANALYSIS_PAGE, template="reports/_analysis_pdf.html", context=analysis_pdf_panel
        )
        register_panel(
            HOME_PAGE, template="reports/_home_panel.html", context=reports_home, order=20
        )
        register_sweep_job(
            "reports lost on the way",
            lambda sweep, stale: reports_requeue(reports=stale, now=sweep.now),
            organisation="organisation",
            due=lambda due: reports_stale(due.now),
        )
