from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organisation (`manage.py seed_demo`). Installed by the local and test settings
    only: production cannot run it."""

    name = "demo"
