"""What `make load` asks of the production server: a mix of what visitors and funders do.

Pages and API lists with filters, keyword search, organisation pages and a bounded CSV, in
roughly the proportions a directory sees: browsing first, then search, then the API.
"""

import random

from locust import HttpUser, between, task

COUNTRIES = ["GR", "DE", "IT", "FR", "NL", "BE", "ES", "SE"]
FOCUS = ["health", "education", "labour-market", "housing", "human-rights"]
LEADERSHIP = ["migrant-led", "refugee-led", "diaspora-led"]
KEYWORDS = ["Athens health", "refugee", "women", "Berlin", "youth education", "Uniao"]


class Visitor(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        """A few organisation pages to open, as a visitor finds them in the list."""
        page = self.client.get("/api/v1/organisations/?page_size=50", name="api list").json()
        self.slugs = [item["slug"] for item in page["results"]] or [None]

    @task(4)
    def home(self):
        self.client.get("/", name="home")

    @task(6)
    def organisations(self):
        self.client.get("/organisations/", name="organisations")

    @task(6)
    def filtered_organisations(self):
        query = f"country={random.choice(COUNTRIES)}&focus={random.choice(FOCUS)}"
        query += f"&leadership={random.choice(LEADERSHIP)}"
        self.client.get(f"/organisations/?{query}", name="organisations, three filters")

    @task(4)
    def search(self):
        self.client.get("/search/", params={"q": random.choice(KEYWORDS)}, name="search")

    @task(5)
    def organisation(self):
        slug = random.choice(self.slugs)
        if slug:
            self.client.get(f"/organisations/{slug}/", name="organisation page")

    @task(2)
    def advocates(self):
        self.client.get("/advocates/", name="advocates")

    @task(4)
    def api_filtered(self):
        self.client.get(
            "/api/v1/organisations/",
            params={"country": random.choice(COUNTRIES), "focus": random.choice(FOCUS)},
            name="api list, two filters",
        )

    @task(1)
    def api_stats(self):
        self.client.get("/api/v1/stats/organisations/?group_by=country", name="api stats")

    @task(1)
    def csv(self):
        query = f"country={random.choice(COUNTRIES)}&leadership={random.choice(LEADERSHIP)}"
        self.client.get(f"/api/v1/organisations/?{query}&format=csv", name="csv, two filters")
