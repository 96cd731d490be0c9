"""`make load`: visitors and dashboards reading the directory, against a running `make serve`.

Each simulated user mixes what people do: the home page, lists with filters, an
organisation's page, a search, the API with filters, and a CSV download. Any answer other
than 200 counts as an error, and locust exits non-zero when there is one.
"""

import random

from locust import HttpUser, between, task

WORDS = ["refugee", "women", "Athens", "Berlin", "health", "youth", "network"]


class Visitor(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        """The directory's own slugs, countries and focus areas, so that every filter is valid."""

        def values(path, key):
            answer = self.client.get(f"{path}?page_size=100", name=f"{path} (start)")
            return [item[key] for item in answer.json()["results"]]

        self.slugs = values("/api/v1/organisations/", "slug")
        self.countries = values("/api/v1/countries/", "code")
        self.focus = values("/api/v1/focus-areas/", "slug")

    @task(3)
    def home(self):
        self.client.get("/")

    @task(5)
    def organisation_list(self):
        params = {"country": random.choice(self.countries), "focus": random.choice(self.focus)}
        self.client.get("/organisations/", params=params, name="/organisations/?country&focus")

    @task(5)
    def organisation_page(self):
        self.client.get(
            f"/organisations/{random.choice(self.slugs)}/", name="/organisations/[slug]/"
        )

    @task(3)
    def search(self):
        self.client.get("/search/", params={"q": random.choice(WORDS)}, name="/search/?q")

    @task(4)
    def api_list(self):
        params = {"country": random.choice(self.countries), "page_size": 50}
        self.client.get(
            "/api/v1/organisations/", params=params, name="/api/v1/organisations/?country"
        )

    @task(1)
    def api_stats(self):
        self.client.get("/api/v1/stats/organisations/?group_by=country", name="/api/v1/stats/")

    @task(1)
    def csv_download(self):
        params = {"country": random.choice(self.countries), "format": "csv"}
        self.client.get(
            "/api/v1/organisations/", params=params, name="/api/v1/organisations/?format=csv"
        )
