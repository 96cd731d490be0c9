"""gunicorn's settings: `make serve`, and any `gunicorn` started in this folder, read them.

Each can be overridden from the environment: BIND, WEB_CONCURRENCY (worker processes),
GUNICORN_TIMEOUT (seconds before a stuck worker is restarted), FORWARDED_ALLOW_IPS (the
proxies whose X-Forwarded-* headers are believed).
"""

import multiprocessing
import os

wsgi_app = "directory.wsgi"
bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two workers per core plus one, the usual rule for a database-bound site, within reason.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# One access line per request on standard output, with the id the application logs under and
# the worker process that answered.
accesslog = "-"
access_log_format = (
    '%(t)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s worker=%(p)s "%(a)s"'
)
errorlog = "-"
# No runtime control socket: nothing uses it, and several servers on one machine (tests,
# `make load`) would share its one default path.
control_socket_disable = True
