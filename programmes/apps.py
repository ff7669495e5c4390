from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"

    def ready(self) -> None:
        from notifications.registry import register_reminders, register_sweep_job
        from organisations.hooks import (
            invitation_accepted,
            invitation_cancelled,
            invitations_described,
            programmes_named,
        )
        from organisations.personal_data import register_personal_data

        from . import navigation, permissions, privacy, reminders, retention, selectors, services

        navigation.register()
        permissions.register()
        register_reminders("programme dates", *reminders.programme_reminder_kinds())
        register_sweep_job(
            "retention",
            retention.retention_sweep,
            organisation="organisation",
            due=retention.programmes_for_retention,
        )
        invitation_accepted.connect(services.invitation_roles_give)
        invitation_cancelled.connect(services.invitation_promise_withdraw)
        invitations_described.connect(services.invitation_purposes_describe)
        programmes_named.connect(selectors.programme_names)
        register_personal_data(
            "Programmes",
            export=privacy.programmes_export,
            erase=privacy.programmes_erase,
            order=200,  # roles last: the erasers before may still tell who held which role
        )
