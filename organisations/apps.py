from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"

    def ready(self) -> None:
        from .personal_data import register_personal_data
        from .privacy import account_export, account_records_erase

        register_personal_data(
            "Account and membership", export=account_export, erase=account_records_erase, order=0
        )
