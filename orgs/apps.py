from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "Organisations, advocates and networks"

    def ready(self):
        from directory import checks  # noqa: F401 (registers the deploy checks)
        from orgs import caching, figure_tags, signals
        from orgs.services.open_data import building

        signals.connect()
        caching.connect()
        figure_tags.connect()
        building.connect()
