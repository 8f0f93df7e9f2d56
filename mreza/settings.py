"""Mreža settings: one module, read from the environment.

With no environment at all it runs the demo on SQLite under var/. Production sets
DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=0 (see README, "Production").
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    """A setting from the environment, or from the file named by NAME_FILE (for secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name, default):
    value = env(name, "1" if default else "0").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be 0/1/true/false, not {value!r}")


def env_int(name, default):
    value = env(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-demo-key-only-for-local-development-and-tests"  # noqa: S105 (DEBUG only)
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",  # background jobs: the backport of Django 6's django.tasks
    "django_tasks_db",  # its database backend (queue in PostgreSQL, `manage.py db_worker`)
    "mreza.core",
    "mreza.accounts",
    "mreza.registry",
    "mreza.maps",
    "mreza.assessment",
    "mreza.networks",
    "mreza.progress",
    "mreza.surveys",
    "mreza.evaluation",
    "mreza.practices",
    "mreza.events",
    # the API and open data sit above every app they expose
    "ninja",
    "mreza.api",
    "mreza.opendata",
    # the top layer: cross-app pages (home, dashboard); nothing imports it
    "mreza.front",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every page (django-csp; the policy is below).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (reads the user's saved language), before CommonMiddleware (URL handling).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A NUL byte in the path, query or a form field: 400 before any view or query sees it.
    "mreza.core.middleware.RefuseNulBytesMiddleware",
    # Permissions-Policy everywhere; Cache-Control: no-store on private pages and downloads.
    "mreza.core.headers.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "mreza.core.middleware.UserLanguageMiddleware",
    "mreza.core.middleware.AuditActorMiddleware",
    "mreza.accounts.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "mreza.urls"
WSGI_APPLICATION = "mreza.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mreza" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "mreza.core.context_processors.navigation",
                # a placeholder for the CSRF token while a public page is kept rendered
                "mreza.registry.pagecache.csrf_placeholder",
            ],
        },
    }
]

# Databases: SQLite file under var/ by default; DATABASE_URL switches (postgres://…).
VAR_DIR = Path(env("MREZA_VAR_DIR", str(BASE_DIR / "var")))
DATABASE_URL = env("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections, checked before reuse: after a database restart a worker reconnects
    # on its next request instead of failing on a dead connection (bench/load --restart-db).
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: our queries are short, and PostgreSQL compiles a plan whose cost estimate is
        # high (an OR of permission subqueries, e.g. the dashboard's recent changes) for seconds
        # before running it in milliseconds.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "mreza.sqlite3",
            # Concurrent writers wait for the lock instead of failing with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            "TEST": {"NAME": VAR_DIR / "test.sqlite3"}
            if env_bool("MREZA_TEST_DB_FILE", False)
            else {},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        # Django's backend, with one client per connection pool (see the module)
        "default": {"BACKEND": "mreza.core.redis_cache.RedisCache", "LOCATION": REDIS_URL}
    }
    # Sessions read from the shared cache, written through to the database: a signed-in page
    # costs no session query. Only with a shared cache: with a per-process memory cache another
    # worker would keep a session that was changed or ended elsewhere.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# allauth: e-mail login, no open sign-up (people join by invitation), rate-limited logins.
ACCOUNT_ADAPTER = "mreza.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("MREZA_LOGIN_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mreža"
MFA_FORMS = {
    "authenticate": "mreza.accounts.mfa_forms.MFAAuthenticateForm",
    "reauthenticate": "mreza.accounts.mfa_forms.MFAReauthenticateForm",
    "activate_totp": "mreza.accounts.mfa_forms.MFAActivateTOTPForm",
}
# Administrators and coordinators must have TOTP; the demo may switch it off (see README).
MREZA_MFA_REQUIRED = env_bool("MREZA_MFA_REQUIRED", True)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Mreža <noreply@mreza.local>")

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("bs", "Bosanski"),
    ("hr", "Hrvatski"),
    ("sr", "Српски (ћирилица, екавски)"),
    ("sr-latn", "Srpski (latinica, ekavski)"),
    ("sr-ijekavsk", "Српски (ћирилица, ијекавски)"),
    ("sr-latn-ijekavsk", "Srpski (latinica, ijekavski)"),
    ("bg", "Български"),
]
# Serbian ijekavian (as written in Bosnia and Herzegovina): catalogue sr_Ijekavsk, Latin derived
# from it.
# Django knows neither code; get_language_info() needs them. Dates and numbers follow our
# mreza/formats.
from django.conf.locale import LANG_INFO  # noqa: E402

LANG_INFO.update(
    {
        "sr-ijekavsk": {
            "bidi": False,
            "code": "sr-ijekavsk",
            "name": "Serbian (ijekavian)",
            "name_local": "српски (ијекавски)",
        },
        "sr-latn-ijekavsk": {
            "bidi": False,
            "code": "sr-latn-ijekavsk",
            "name": "Serbian Latin (ijekavian)",
            "name_local": "srpski (ijekavski)",
        },
    }
)
FORMAT_MODULE_PATH = ["mreza.formats"]
LOCALE_PATHS = [Path(env("MREZA_LOCALE_DIR", str(BASE_DIR / "locale")))]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Europe/Sarajevo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Serve from the apps' static folders in development and tests; collectstatic fills STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Background jobs run on django-tasks (see docs/ARCHITECTURE.md, "Background jobs"); the queue is
# the database (django-tasks-db). MREZA_JOBS says who works it off:
#   "thread" — a worker thread in the web process (demo, small sites; no extra process),
#   "worker" — a separate `manage.py db_worker` service (production, any number of machines),
#   "sync"   — the immediate backend: the job runs inside the request (tests).
MREZA_JOBS = env("MREZA_JOBS", "thread")
if MREZA_JOBS not in ("thread", "worker", "sync"):
    raise ImproperlyConfigured("MREZA_JOBS must be thread, worker or sync")
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
# A running job writes a heartbeat this often (seconds); one silent for MREZA_JOB_STALE_AFTER
# seconds has lost its worker and is queued again once, then marked failed (`recover_jobs`).
MREZA_JOB_HEARTBEAT = env_int("MREZA_JOB_HEARTBEAT", 20)
MREZA_JOB_STALE_AFTER = 180
MREZA_JOB_ATTEMPTS = 2
# The one schedule of periodic jobs: (management command, every N seconds). The embedded worker
# ("thread") runs them itself; with "worker", cron or systemd timers run them (README).
MREZA_PERIODIC_JOBS = [
    ("recover_jobs", 300),
    ("clearsessions", 86400),
    # weekly digests (each user a week after their last), overdue and upcoming-meeting reminders
    ("send_progress_digests", 3600),
    # the open-data ZIP of /open-data/, rebuilt nightly
    ("build_open_data", 86400),
]

# An optional XYZ tile layer for maps; empty means fully offline outlines only.
MREZA_MAP_TILE_URL = env("MREZA_MAP_TILE_URL", "")
# Registry imports larger than this are refused before parsing.
MREZA_IMPORT_MAX_BYTES = env_int("MREZA_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# An imported XLSX (a ZIP archive) may unpack to at most this; more is refused before parsing (zip
# bombs).
MREZA_IMPORT_MAX_UNPACKED_BYTES = env_int("MREZA_IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
# Evidence files attached to scores: at most this size (PDF, images, office documents, plain text).
MREZA_EVIDENCE_MAX_BYTES = env_int("MREZA_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# A document shared in a workspace (progress) may be at most this large.
# Citizen surveys: submissions per client address and wave in a window (seconds; 0 = no limit),
# kept only in the cache; how long a survey form stays valid (seconds).
MREZA_SURVEY_RATE_SUBMISSIONS = env_int("MREZA_SURVEY_RATE_SUBMISSIONS", 30)
MREZA_SURVEY_RATE_WINDOW = env_int("MREZA_SURVEY_RATE_WINDOW", 600)
# The API: requests per minute per client address (no token) and per token; above: 429.
MREZA_API_RATE_LIMITS = {
    "anonymous": (env_int("MREZA_API_RATE_ANONYMOUS", 120), 60),
    "token": (env_int("MREZA_API_RATE_TOKEN", 600), 60),
}
MREZA_SURVEY_FORM_MAX_AGE = env_int("MREZA_SURVEY_FORM_MAX_AGE", 24 * 3600)
MREZA_DOCUMENT_MAX_BYTES = env_int("MREZA_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)


# Content-Security-Policy: nothing inline may run. Scripts are static files only (the former
# onchange handlers live in core/static/core/mreza.js); styles too: the templates carry no style=""
# attributes and htmx's injected indicator <style> is switched off (htmx-config meta in base.html),
# so 'unsafe-inline' is not needed anywhere. Map tiles, when configured, come from their own origin.
def _tile_origin(template):
    from urllib.parse import urlsplit

    parts = urlsplit(template.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *filter(None, [_tile_origin(MREZA_MAP_TILE_URL)])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Browser features no page of Mreža uses are switched off for the site and anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
        "browsing-topics",
    )
)

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
