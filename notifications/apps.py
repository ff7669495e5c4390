from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        from organisations.hooks import address_problems
        from organisations.personal_data import register_personal_data

        from .privacy import notifications_erase, notifications_export
        from .selectors import undeliverable_addresses

        address_problems.connect(undeliverable_addresses)
        register_personal_data(
            "Notifications and e-mails",
            export=notifications_export,
            erase=notifications_erase,
            order=10,  # first: it searches mail for the person's name before anything renames it
        )
