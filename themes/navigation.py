from programmes.navigation import everyone, register_page
from programmes.permissions import Perm


def register() -> None:
    register_page(
        group="change",
        label="Themes",
        url_name="themes:cohort",
        tabs=("themes",),
        shows=lambda held, roles: Perm.READ_THEMES in held,
        order=300,
    )
    register_page(
        group="change",
        label="Our themes",
        url_name="themes:ours",
        tabs=("themes",),
        shows=lambda held, roles: Perm.TAKE_PART in held and Perm.READ_THEMES not in held,
        order=300,
    )
    register_page(
        group="change",
        label="Systemic issues",
        url_name="themes:register",
        tabs=("register",),
        shows=everyone,
        order=320,
    )
