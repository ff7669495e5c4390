from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"

    def ready(self) -> None:
        from . import navigation

        navigation.register()
        from notifications.registry import register_reminders
        from programmes.hooks import anonymity_threshold_changing, programme_created

        from .reminders import survey_nudges
        from .services import surveys_standard_create, surveys_threshold_freeze

        register_reminders("survey non-respondents", survey_nudges)
        programme_created.connect(surveys_standard_create)
        anonymity_threshold_changing.connect(surveys_threshold_freeze)
