from django.apps import AppConfig


class PairsConfig(AppConfig):
    name = "pairs"

    def ready(self) -> None:
        from . import navigation

        navigation.register()
        from notifications.registry import register_reminders
        from programmes.hooks import participant_added, participant_invited

        from .reminders import relationship_nudges
        from .services import invitee_profile_make, participant_profile_make

        register_reminders("relationship nudges", relationship_nudges)
        participant_added.connect(participant_profile_make)
        participant_invited.connect(invitee_profile_make)
