from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"

    def ready(self) -> None:
        from . import navigation

        navigation.register()
        from notifications.registry import register_reminders
        from organisations.panels import register_panel, register_row_panel
        from organisations.personal_data import register_personal_data
        from pairs.hooks import concern_referred
        from pairs.pages import PAIR_PAGE, PARTNERSHIP_PAGE, STEERING_PAGE
        from programmes.hooks import calendar_events, member_added, readiness_checks
        from programmes.pages import HOME_PAGE

        from . import contributions, panels, privacy
        from .reminders import SUPERVISION_REMINDERS
        from .services import referral_from_concern, supervisor_place_for_role

        member_added.connect(supervisor_place_for_role)
        concern_referred.connect(referral_from_concern)
        calendar_events.connect(contributions.supervision_calendar)
        readiness_checks.connect(contributions.supervision_readiness)
        register_reminders("supervision", *SUPERVISION_REMINDERS)
        register_personal_data(
            "Referrals and supervision",
            export=privacy.supervision_export,
            erase=privacy.supervision_erase,
        )
        register_panel(
            PARTNERSHIP_PAGE,
            template="supervision/_partnership_panel.html",
            context=panels.partnership_panel,
        )
        register_panel(
            PAIR_PAGE,
            template="supervision/_pair_panel.html",
            context=panels.coordinator_pair_panel,
        )
        register_row_panel(
            STEERING_PAGE,
            template="supervision/_steering_panel.html",
            context=panels.steering_panel,
        )
        for template, context, order in (
            ("supervision/_home_consents.html", panels.consents_home, 5),
            ("supervision/_home_triage.html", panels.triage_home, 20),
            ("supervision/_home_caseload.html", panels.caseload_home, 10),
        ):
            register_panel(HOME_PAGE, template=template, context=context, order=order)
