from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        from organisations.hooks import address_problems

        from .selectors import undeliverable_addresses

        address_problems.connect(undeliverable_addresses)
