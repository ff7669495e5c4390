from programmes.navigation import register_page
from programmes.permissions import Perm


def register() -> None:
    """One Supervision page: the triage for a coordinator, the caseload for a supervisor, and
    what they asked for to anyone who may raise a referral."""
    for url_name, shows in (
        ("supervision:triage", lambda held, roles: Perm.TRIAGE in held),
        (
            "supervision:cases",
            lambda held, roles: Perm.SUPERVISE in held and Perm.TRIAGE not in held,
        ),
        (
            "supervision:mine",
            lambda held, roles: (
                Perm.RAISE_REFERRAL in held and not {Perm.TRIAGE, Perm.SUPERVISE} & held
            ),
        ),
    ):
        register_page(
            group="relationships",
            label="Supervision",
            url_name=url_name,
            tabs=("supervision",),
            shows=shows,
            order=230,
        )
