from django.apps import AppConfig


class PairsConfig(AppConfig):
    name = "pairs"

    def ready(self) -> None:
        from . import navigation

        navigation.register()
        from notifications.registry import register_reminders
        from organisations.personal_data import register_personal_data
        from programmes.hooks import participant_added, participant_invited

        from .privacy import pairs_erase, pairs_export
        from .reminders import relationship_nudges
        from .services import invitee_profile_make, participant_profile_make

        register_reminders("relationship nudges", relationship_nudges)
        participant_added.connect(participant_profile_make)
        participant_invited.connect(invitee_profile_make)
        # After the apps whose rows point at profiles and pairs.
        register_personal_data(
            "Selection, pairs and meetings", export=pairs_export, erase=pairs_erase, order=50
        )
