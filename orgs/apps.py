from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "Organisations, advocates and networks"

    def ready(self):
        from . import figures, signals

        signals.connect()
        figures.connect()
