from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Loads the Groningen (and Assen) demo. Sits on top of every app; nothing imports it."""

    name = "demo"
    verbose_name = "Demo"
