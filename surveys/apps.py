from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"

    def ready(self) -> None:
        from . import navigation

        navigation.register()
        from notifications.registry import register_reminders
        from organisations.panels import register_panel
        from organisations.personal_data import register_personal_data
        from programmes.hooks import anonymity_threshold_changing, programme_created
        from programmes.pages import HOME_PAGE

        from .panels import surveys_home
        from .privacy import surveys_erase, surveys_export
        from .reminders import SURVEY_NUDGES
        from .services import surveys_standard_create, surveys_threshold_freeze

        register_reminders("survey non-respondents", SURVEY_NUDGES)
        programme_created.connect(surveys_standard_create)
        anonymity_threshold_changing.connect(surveys_threshold_freeze)
        register_personal_data("Surveys", export=surveys_export, erase=surveys_erase)
        register_panel(
            HOME_PAGE, template="surveys/_home_panel.html", context=surveys_home, order=40
        )
