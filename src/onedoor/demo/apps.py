from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The composition root of the demo: loads every app's demo data and runs all processes."""

    name = "onedoor.demo"
    label = "demo"
    verbose_name = "Demo"
