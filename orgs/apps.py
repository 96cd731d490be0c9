from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "Organisations, advocates and networks"

    def ready(self):
        from orgs import caching, signals

        signals.connect()
        caching.connect()
