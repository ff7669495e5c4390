from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"

    def ready(self) -> None:
        from . import navigation

        navigation.register()
        from notifications.registry import register_reminders, register_sweep_job
        from organisations.panels import register_panel
        from organisations.personal_data import register_personal_data
        from pairs.pages import PARTNERSHIP_PAGE
        from programmes.pages import HOME_PAGE
        from supervision.pages import GROUP_SESSION_PAGE

        from . import panels, privacy
        from .reminders import THEMES_REMINDERS
        from .services import analyses_due_send, sessions_due

        register_reminders("themes", *THEMES_REMINDERS)
        register_sweep_job(
            "theme-analyses",
            analyses_due_send,
            organisation="programme__organisation",
            due=sessions_due,
        )
        register_personal_data(
            "Themes", export=privacy.themes_export, erase=privacy.themes_erase, order=40
        )
        register_panel(
            PARTNERSHIP_PAGE,
            template="themes/_partnership_panel.html",
            context=panels.partnership_panel,
        )
        register_panel(
            GROUP_SESSION_PAGE, template="themes/_session_panel.html", context=panels.session_panel
        )
        register_panel(
            HOME_PAGE, template="themes/_home_panel.html", context=panels.themes_home, order=30
        )
