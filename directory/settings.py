"""Settings for the directory, read from the environment.

DATABASE_URL, SECRET_KEY, DEBUG and ALLOWED_HOSTS are the main knobs. DEBUG is off unless
DEBUG=1 is set (`make run` and `make test` set it); with it on and nothing else set the site
runs on a SQLite file beside manage.py for local use. With it off the security settings below
are those of production (README, "Serve it").
"""

import hashlib
import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable; a value that is neither is an error, never a silent default."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value: use 1/0, true/false, yes/no or on/off."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """A comma list of IP addresses or networks (IPv4 or IPv6); a wrong entry is an error."""
    entries = env_list(name, "")
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {entry!r} is not an IP address or network (e.g. 10.0.0.0/8)."
            ) from None
    return entries


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "insecure-local-development-key"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # its templates; the site's domain is the request's (no sites app)
    "corsheaders",
    "django_countries",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "orgs",
    "surveys",
]

MIDDLEWARE = [
    # Before anything reads the database: whether this request reads the primary alone.
    "directory.routers.PrimaryReadsMiddleware",
    "directory.clients.ClientAddressMiddleware",
    "directory.logs.RequestIdMiddleware",
    "directory.addresses.AddressLengthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "directory.request_limits.RequestBodyLimitMiddleware",  # before anything reads a body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "directory.urls"
WSGI_APPLICATION = "directory.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "orgs.pages.context_processors.languages",
                "orgs.pages.context_processors.search_box",
            ],
        },
    },
]

CONN_MAX_AGE = env_int("CONN_MAX_AGE", 0)


def with_timeouts(database: dict) -> dict:
    """PostgreSQL gives up on an unreachable server or a stuck query instead of hanging.

    DATABASE_STATEMENT_TIMEOUT (seconds) is set for the web server by directory/wsgi.py;
    manage.py commands, which may rightly run long, have none unless it is set.

    A kept connection (CONN_MAX_AGE) to a server that stops answering would wait for the
    kernel's retransmissions, a quarter of an hour, and gunicorn would kill the worker: TCP
    keepalives and a user timeout (libpq 12 or later) end it within about the connect timeout,
    and the page is the 503. A healthy server's kernel acknowledges both while a long query runs.

    And no query is compiled (JIT): compiling takes longer than the directory's queries do.
    """
    if "postgresql" in database["ENGINE"]:
        options = database.setdefault("OPTIONS", {})
        connect_timeout = env_int("DATABASE_CONNECT_TIMEOUT", 5)
        options.setdefault("connect_timeout", connect_timeout)
        tcp = {
            "keepalives": 1,
            "keepalives_idle": env_int("DATABASE_KEEPALIVES_IDLE", connect_timeout),
            "keepalives_interval": env_int("DATABASE_KEEPALIVES_INTERVAL", 1),
            "keepalives_count": env_int("DATABASE_KEEPALIVES_COUNT", 3),
            # In seconds, as the other timeouts here; libpq counts milliseconds.
            "tcp_user_timeout": env_int("DATABASE_TCP_USER_TIMEOUT", connect_timeout) * 1000,
        }
        # 0 leaves the system's default (libpq would refuse to connect with a keepalive of 0).
        for name, value in tcp.items():
            if value > 0:
                options.setdefault(name, value)
        statement_timeout = env_int("DATABASE_STATEMENT_TIMEOUT", 0)
        if statement_timeout:
            options["options"] = (
                f"{options.get('options', '')} -c statement_timeout={statement_timeout * 1000}"
            ).strip()
        # No JIT compilation: the directory's queries take milliseconds, and PostgreSQL
        # compiles any whose estimated cost passes jit_above_cost (the like-minded ranking's
        # index probes, counted per candidate, do), which took 150 ms to compile a 20 ms query.
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return database


DATABASES = {
    "default": with_timeouts(
        dj_database_url.config(
            default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=CONN_MAX_AGE,
            conn_health_checks=True,
        )
    )
}
# Read replicas: reads go to them, writes and transactions to the primary (directory/routers.py).
# In tests a replica mirrors the test database.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    DATABASES[f"replica_{number}"] = {
        **with_timeouts(
            dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["directory.routers.PrimaryReplicaRouter"]
# Seconds a replica whose connection failed is left alone (its reads go to the primary).
DATABASE_REPLICA_RETRY_SECONDS = env_int("DATABASE_REPLICA_RETRY_SECONDS", 30)

# The cache holds the expensive figures (counts, facets, overviews; see orgs/caching.py) and the
# rate limits. Every process serving the site must share it: an edit on one retires the figures
# of all, and a limit counts every request. CACHE_URL chooses it:
# - unset: files in CACHE_DIR (default .cache/ in the checkout, which manage.py commands share
#   with the server), one cache for every process of this machine;
# - redis://host:6379/0 (or rediss://, unix://): Redis, one cache for several machines;
# - locmem://: this process's memory alone, for one process only (the tests set it).
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
CACHE_DIR = Path(os.environ.get("CACHE_DIR", BASE_DIR / ".cache"))
REDIS_SCHEMES = {"redis", "rediss", "unix"}


def cache_for(url: str, directory: Path) -> dict:
    """The default cache that CACHE_URL names (see above)."""
    scheme = url.partition("://")[0].lower()
    if not url:
        # Only this machine's account may write there: the files are pickles, read back as code.
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(directory),
            # Each write counts the files; past this many, a third of them are dropped.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 10000)},
        }
    if scheme in REDIS_SCHEMES:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "locmem://":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "directory",
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r}: use redis://host:6379/0 (or rediss://, unix://), locmem:// for "
        "one process only, or leave it unset for a cache in files (CACHE_DIR)."
    )


def database_key(database: dict) -> str:
    """A short name for a database: one cache may outlive a switch of DATABASE_URL (a
    developer's SQLite file and PostgreSQL), and its figures must not cross over."""
    where = f"{database['ENGINE']}:{database.get('HOST', '')}:{database.get('PORT', '')}"
    return hashlib.sha256(f"{where}:{database['NAME']}".encode()).hexdigest()[:12]


CACHES = {
    "default": {
        **cache_for(CACHE_URL, CACHE_DIR),
        "KEY_PREFIX": database_key(DATABASES["default"]),
    }
}
# How long a cached figure lives at most; any change to the records retires it at once.
FIGURES_CACHE_SECONDS = int(os.environ.get("FIGURES_CACHE_SECONDS", "3600"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Request bodies: a form or API call is small, so Django refuses (413, directory/errors.py) any
# body larger than REQUEST_BODY_MAX_BYTES before reading it (`directory.request_limits`); the
# editors' import upload alone may send IMPORT_UPLOAD_MAX_BYTES.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 256 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
IMPORT_UPLOAD_MAX_BYTES = env_int("IMPORT_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# The most rows one import reads; a file with more is refused whole, and read no further.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
# A confirmed import of more rows than this is saved by the background worker (`manage.py
# db_worker`, which gunicorn.conf.py starts beside the web workers) while the editor watches
# its progress; a smaller one is saved at once, within the request.
IMPORT_IN_REQUEST_MAX_ROWS = env_int("IMPORT_IN_REQUEST_MAX_ROWS", 500)

# Background work (large imports, mail) is queued in the database and run by `manage.py
# db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The open data (/data/): the directory as two zips, a Frictionless data package and the same in
# Open Referral HSDS 3.0's tables, built by the worker a little while after the directory
# changes (OPEN_DATA_BUILD_DELAY_SECONDS gathers a burst of edits into one build) and served
# from OPEN_DATA_DIR. With several machines, point it at a folder they share.
OPEN_DATA_DIR = Path(os.environ.get("OPEN_DATA_DIR", BASE_DIR / "var" / "open-data"))
OPEN_DATA_BUILD_DELAY_SECONDS = env_int("OPEN_DATA_BUILD_DELAY_SECONDS", 60)

# Mail (notices to the listed, relayed messages, senders' confirmations) goes through the
# outbox (`orgs.services.mail`): written with what caused it, sent by the worker, retried.
# Without EMAIL_HOST it is printed on the console, for development.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "directory@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the directory's pages are, for the links in mail (sent by the worker, with no request).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
# A mail the server refused for a while is retried after MAIL_RETRY_SECONDS, doubled at each
# attempt up to an hour, and given up after MAIL_MAX_ATTEMPTS.
MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 60)
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 12)
# A worker that took a mail and died: another may take it after this long (longer than one
# SMTP conversation may last: a few exchanges of EMAIL_TIMEOUT each).
MAIL_CLAIM_SECONDS = env_int("MAIL_CLAIM_SECONDS", 600)
# The outbox forgets a mail this long after it was written, once it is sent or given up.
MAIL_KEEP_DAYS = env_int("MAIL_KEEP_DAYS", 365)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface speaks four languages (the records stay as the reports wrote them). The public
# pages carry the language in the URL (/fr/organisations/); English has no prefix, and the API
# and admin stay in English. English dates follow British usage (directory/formats/en/).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["directory.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 default; admin URL fields assume https

# History says why a record changed, in the editor's words (a merge's or an approval's note):
# longer than the library's default of 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Suggestions from the public: at most this many kept from one client address in this many
# seconds.
SUGGESTION_RATE_LIMIT = (5, 3600)

# Messages relayed to the listed who chose to be reachable (`orgs.services.relaying`): at most
# MESSAGE_MAX_CHARS characters and MESSAGE_MAX_LINKS links; at most so many from one sender's
# address a day, from one client address an hour, and to one person a day. A message whose
# sender never confirmed their address is dropped after HELD_MESSAGE_DAYS.
MESSAGE_MAX_CHARS = env_int("MESSAGE_MAX_CHARS", 3000)
MESSAGE_MAX_LINKS = env_int("MESSAGE_MAX_LINKS", 2)
MESSAGES_PER_SENDER_PER_DAY = env_int("MESSAGES_PER_SENDER_PER_DAY", 5)
MESSAGES_PER_CLIENT_PER_HOUR = env_int("MESSAGES_PER_CLIENT_PER_HOUR", 5)
MESSAGES_PER_RECIPIENT_PER_DAY = env_int("MESSAGES_PER_RECIPIENT_PER_DAY", 10)
HELD_MESSAGE_DAYS = env_int("HELD_MESSAGE_DAYS", 3)

# The notice to the listed (orgs.services.invitations): its personal link is good for this many
# days, and opens a session on the person's own record for LISTED_SESSION_SECONDS. A new link
# is mailed at most (per person, per client address) times in the window of seconds.
INVITATION_DAYS = env_int("INVITATION_DAYS", 30)
LISTED_SESSION_SECONDS = env_int("LISTED_SESSION_SECONDS", 3 * 3600)
NEW_LINK_RATE_LIMIT = (3, 10, 24 * 3600)

# The reverse proxies (addresses or networks) whose X-Forwarded-For is believed: the client's
# address, which every rate limit, lockout and log line keys on, is read in directory/clients.py.
# Empty (the default), the socket's address is the client.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Files that tests check the data and the API against, outside the code: the reports' plain
# texts (our machines keep them in ../shared/seeds beside the checkout; a public clone has
# none, and the tests that read them skip) and the published schemas the API speaks (the
# ones whose licence allows it are in tests/standards/).
REPORTS_DIR = Path(os.environ.get("REPORTS_DIR", BASE_DIR.parent / "shared" / "seeds"))
STANDARDS_DIR = Path(os.environ.get("STANDARDS_DIR", BASE_DIR / "tests" / "standards"))

# Security headers and cookies. In production (DEBUG off) the site expects HTTPS, ended at a
# proxy that sets X-Forwarded-Proto; `python manage.py check --deploy` passes without warning.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer probes /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("TRUST_X_FORWARDED_PROTO", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Sessions (who is signed in, the import an editor previewed) must read alike on every server,
# so that a logout holds everywhere at once. They live in the database, and are read through the
# cache only where it is one for all servers (Redis) or there is one process (locmem://): a cache
# in files is one machine's, and a second machine added without Redis would keep stale copies.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Pages load scripts, styles, images and fonts from our own origin only: no inline script or
# style anywhere (Swagger UI at /api/docs/ loads its start-up script from a URL of its own).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    },
}
# Powerful browser features no page of the directory uses.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment",
        "publickey-credentials-get", "screen-wake-lock", "usb", "xr-spatial-tracking",
    ]
}  # fmt: skip

# Admin lives at ADMIN_PATH (e.g. "editors-7f3a/"), away from robots that try /admin/.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/").strip("/") + "/"
if ADMIN_PATH == "/":
    raise ImproperlyConfigured("ADMIN_PATH must not be empty: the site's pages live at /.")

# The longest path and query (bytes, percent-encoded) a page or the API reads; a longer one is
# a 414 in the site's words (directory/addresses.py), below gunicorn's own limit on the request
# line (gunicorn.conf.py), whose bare 414 page nobody could read.
MAX_ADDRESS_LENGTH = 4000

# The funders' API (/api/v1/): read-only, token holders see personal addresses.
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100
API_THROTTLE_RATES = {
    "anon": os.environ.get("API_RATE_ANONYMOUS", "60/minute"),
    "token": os.environ.get("API_RATE_TOKEN", "600/minute"),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "orgs.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "orgs.api.renderers.FormatNegotiation",
    "DEFAULT_THROTTLE_CLASSES": [
        "orgs.api.throttles.AnonymousThrottle",
        "orgs.api.throttles.TokenThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Directory of migrant-led and refugee-led organisations in Europe: API",
    "DESCRIPTION": (
        "Read-only access to the directory's organisations, advocates, networks, surveys and "
        "vocabularies, with the filters of the web pages. Every record cites the report and the "
        "place in it that it comes from. Lists are paginated (`page`, `page_size` up to "
        "100) and come as JSON or, with `format=csv` or `Accept: text/csv`, as one CSV file of "
        "every item the filters select (UTF-8 with a byte-order mark). Errors are "
        "JSON objects naming each wrong parameter with the reasons. An address (path and "
        f"query) longer than {MAX_ADDRESS_LENGTH} characters is refused with 414. Personal "
        "email addresses of advocates appear only for callers with a token "
        "(`Authorization: Token <key>`) that an editor issued. OpenRefine and other "
        "reconciliation clients match a list of names to the records at `/api/reconcile/` "
        "(Reconciliation Service API 0.2, with its own specification, so not listed here)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/(v1/)?",
    "SWAGGER_UI_DIST": "SIDECAR",
    # As JavaScript (drf-spectacular passes a string unchanged), for the plugins that
    # static/js/api-docs.js defines; no syntax highlighting, whose colours are too faint.
    "SWAGGER_UI_SETTINGS": (
        "{deepLinking: true, syntaxHighlight: {activated: false}, plugins: window.apiDocsPlugins}"
    ),
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "orgs.api.schema.add_error_responses",
        "orgs.api.schema.document_parameter_bounds",
        "orgs.api.schema.optional_personal_email",
        "orgs.api.schema.add_csv_links",
        "orgs.api.schema.drop_database_ranges",
    ],
    "ENUM_NAME_OVERRIDES": {
        "LeadershipEnum": "orgs.choices.Leadership",
        "EvidenceEnum": "orgs.choices.LeadershipEvidence",
        "FormEnum": "orgs.choices.LegalForm",
        "FormalisationEnum": "orgs.choices.Formalisation",
        "RoleEnum": "orgs.choices.MembershipRole",
    },
}

# Funders' browser dashboards may read the API from any origin; nothing else is shared.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# Editors sign in to admin. Repeated wrong passwords lock a username at one client address
# (never the username everywhere, which anyone could do to any editor), and an address that
# failed for many usernames locks for all of them (directory/lockouts.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_USERNAME_LIMIT = env_int("LOGIN_ADDRESS_USERNAME_LIMIT", 20)
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "directory.lockouts.UsernameAtAddressHandler"
AXES_CLIENT_IP_CALLABLE = "directory.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Logs go to standard output, one line each with the client's address (directory/clients.py)
# and the request's id (echoed to the client as X-Request-ID, kept from the proxy's header when
# it sends one), passwords and keys masked.
LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
NO_REQUEST_ID = "-"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "log_request_id.filters.RequestIDFilter"},
        "client_address": {"()": "directory.clients.ClientAddressFilter"},
    },
    "formatters": {
        "line": {
            "class": "directory.logs.MaskingFormatter",
            "format": (
                "%(asctime)s %(levelname)s %(client_address)s [%(request_id)s] "
                "%(name)s: %(message)s"
            ),
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id", "client_address"],
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
    # Django's own loggers write through the root's handler, and only there.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        # Its start-up banner would open the output of every manage.py command.
        "axes.apps": {"level": "WARNING"},
    },
}
# Error pages for developers (DEBUG on) mask the same secrets.
DEFAULT_EXCEPTION_REPORTER = "directory.logs.MaskingExceptionReporter"
