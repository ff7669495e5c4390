from django.apps import AppConfig


class PairsConfig(AppConfig):
    name = "pairs"

    def ready(self) -> None:
        from . import navigation

        navigation.register()
        from notifications.registry import register_reminders
        from organisations.panels import register_panel
        from organisations.personal_data import register_personal_data
        from programmes.hooks import (
            participant_added,
            participant_invitation_cancelled,
            participant_invited,
        )
        from programmes.pages import HOME_PAGE

        from . import home
        from .privacy import pairs_erase, pairs_export
        from .reminders import RELATIONSHIP_NUDGES
        from .services import (
            invitee_profile_make,
            invitee_profile_withdraw,
            participant_profile_make,
        )

        register_reminders("relationship nudges", *RELATIONSHIP_NUDGES)
        participant_added.connect(participant_profile_make)
        participant_invited.connect(invitee_profile_make)
        participant_invitation_cancelled.connect(invitee_profile_withdraw)
        # After the apps whose rows point at profiles and pairs.
        register_personal_data(
            "Selection, pairs and meetings", export=pairs_export, erase=pairs_erase, order=50
        )
        for template, context in (
            ("pairs/_home_partnership.html", home.partnership_home),
            ("pairs/_home_attention.html", home.attention_home),
            ("pairs/_home_steering.html", home.steering_home),
            ("pairs/_home_figures.html", home.figures_home),
        ):
            register_panel(HOME_PAGE, template=template, context=context, order=10)
