from programmes.navigation import everyone, register_page


def register() -> None:
    register_page(
        group="evaluation",
        label="Surveys",
        url_name="surveys:list",
        tabs=("surveys",),
        shows=everyone,
        order=400,
    )
