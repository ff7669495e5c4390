from programmes.navigation import everyone, register_page, with_perm
from programmes.permissions import Perm


def register() -> None:
    register_page(
        group="evaluation",
        label="Surveys",
        url_name="surveys:list",
        tabs=("surveys",),
        shows=everyone,
        order=400,
    )
    register_page(
        group="evaluation",
        label="Hard measures",
        url_name="surveys:measures",
        tabs=("measures",),
        shows=with_perm(Perm.READ_MEASURES),
        order=405,
    )
