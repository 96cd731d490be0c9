"""Settings for the directory, read from the environment.

DATABASE_URL, SECRET_KEY, DEBUG and ALLOWED_HOSTS are the knobs; without any of them set the
site runs on a SQLite file beside manage.py, in debug mode, for local use.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("Set SECRET_KEY when DEBUG is off.")
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
    "corsheaders",
    "django_countries",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "simple_history",
    "orgs",
    "surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
# Read replicas: reads go to them, writes and transactions to the primary (directory/routers.py).
# In tests a replica mirrors the test database.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    DATABASES[f"replica_{number}"] = {
        **dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0"))),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["directory.routers.PrimaryReplicaRouter"]

# The cache holds the expensive figures (counts, facets, overviews; see orgs/figures.py) and the
# rate limits. Several servers share it in Redis (`CACHE_URL=redis://host:6379/0`); without
# CACHE_URL each process keeps its own in memory.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "directory",
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    )
}
# How long a cached figure lives at most; any change to the records retires it at once.
FIGURES_CACHE_SECONDS = int(os.environ.get("FIGURES_CACHE_SECONDS", "3600"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
FORMS_URLFIELD_ASSUME_HTTPS = True

# Suggestions from the public: at most this many per network address in this many seconds.
SUGGESTION_RATE_LIMIT = (5, 3600)  # Django 6 default; admin URL fields assume https

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

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
        "directory.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": [
        "directory.throttles.AnonymousThrottle",
        "directory.throttles.TokenThrottle",
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
        "JSON objects naming each wrong parameter with the reasons. Personal email addresses "
        "of advocates appear only for callers with a token (`Authorization: Token <key>`) "
        "that an editor issued."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/(v1/)?",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "directory.schema.add_error_responses",
        "directory.schema.drop_database_ranges",
    ],
    "ENUM_NAME_OVERRIDES": {
        "LeadershipEnum": "orgs.models.Leadership",
        "EvidenceEnum": "orgs.models.LeadershipEvidence",
        "FormEnum": "orgs.models.Form",
        "FormalisationEnum": "orgs.models.Formalisation",
        "RoleEnum": "orgs.models.MembershipRole",
    },
}

# Funders' browser dashboards may read the API from any origin; nothing else is shared.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# Editors sign in to admin; repeated wrong passwords lock the account and the address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
