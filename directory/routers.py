"""Reads from PostgreSQL replicas, writes to the primary (`DATABASE_REPLICA_URLS`).

Inside a transaction every query goes to the primary, so a write and the reads that check it
see the same rows. A page read right after an edit may come from a replica a moment behind;
docs/deploy.md says how to keep that lag small.
"""

import random

from django.conf import settings
from django.db import transaction


def replicas() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        choices = replicas()
        if not choices or not transaction.get_autocommit("default"):
            return "default"
        return random.choice(choices)

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, first, second, **hints):
        return True  # replicas hold the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
