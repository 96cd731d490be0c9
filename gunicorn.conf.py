"""gunicorn's settings: `make serve`, and any `gunicorn` started in this folder, read them.

Each can be overridden from the environment: BIND, WEB_CONCURRENCY (worker processes),
GUNICORN_TIMEOUT (seconds before a stuck worker is restarted), FORWARDED_ALLOW_IPS (the
proxies whose X-Forwarded-Proto gunicorn believes; TRUSTED_PROXIES, the site's own list, when
unset), TASK_WORKER (1, the default: run the background worker, `manage.py db_worker`, beside
the web workers; 0 where it runs elsewhere).
"""

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

from gunicorn.glogging import Logger

wsgi_app = "directory.wsgi"
bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two workers per core plus one, the usual rule for a database-bound site, within reason.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
forwarded_allow_ips = (
    os.environ.get("FORWARDED_ALLOW_IPS") or os.environ.get("TRUSTED_PROXIES") or "127.0.0.1"
)


class ClientAddressLogger(Logger):
    """Access lines name the client as the site does (directory/clients.py), not the proxy."""

    def atoms(self, resp, req, environ, request_time):
        from directory.clients import client_address_in  # in a worker, with Django set up
        from directory.logs import without_personal_links

        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = client_address_in(environ) or "-"
        # A listed person's personal link is a key to their record: never in a log line.
        for atom in ("r", "U", "f"):
            if atom in atoms:
                atoms[atom] = without_personal_links(atoms[atom])
        return atoms


logger_class = ClientAddressLogger
# One access line per request on standard output, with the client's address, the id the
# application logs under and the worker process that answered.
accesslog = "-"
access_log_format = (
    '%(t)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s worker=%(p)s "%(a)s"'
)
errorlog = "-"
# The longest request line read (gunicorn's largest; its default is 4094): Django refuses a path
# and query past settings.MAX_ADDRESS_LENGTH (4000) itself, with a 414 its clients can read,
# only if gunicorn lets the line through first.
limit_request_line = 8190
# No runtime control socket: nothing uses it, and several servers on one machine (tests,
# `make load`) would share its one default path.
control_socket_disable = True


def when_ready(server):
    """Starts the background worker (large imports) with the server, so that `make serve`
    stays one command; it shares the server's environment and database."""
    if os.environ.get("TASK_WORKER", "1") != "1":
        return
    manage = Path(__file__).resolve().parent / "manage.py"
    server.task_worker = subprocess.Popen(
        [sys.executable, str(manage), "db_worker", "--no-reload", "--interval", "1"]
    )
    server.log.info("Started the background worker (pid %s)", server.task_worker.pid)


def on_exit(server):
    """Stops the background worker with the server: it finishes the task it runs first."""
    worker = getattr(server, "task_worker", None)
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=graceful_timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
