from programmes.navigation import register_page, with_perm
from programmes.permissions import Perm


def register() -> None:
    register_page(
        group="evaluation",
        label="Reports",
        url_name="reports:list",
        tabs=("reports",),
        shows=with_perm(Perm.REQUEST_REPORT),
        order=410,
    )
