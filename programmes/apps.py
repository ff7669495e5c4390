from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"

    def ready(self) -> None:
        from . import navigation

        navigation.register()
        from notifications.registry import register_reminders
        from organisations.hooks import invitation_accepted, invitations_described

        from . import permissions, reminders, services

        permissions.register()
        register_reminders("programme dates", reminders.programme_reminders)
        invitation_accepted.connect(services.invitation_roles_give)
        invitations_described.connect(services.invitation_purposes_describe)
