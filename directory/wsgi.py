"""WSGI entry point for production servers (gunicorn: see gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
# A page waits at most this many seconds for one query; management commands, which may run
# long imports, set their own (settings.with_timeouts).
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "10")
application = get_wsgi_application()
