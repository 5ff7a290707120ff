"""One settings module for every deployment, read from the environment.

With no environment at all the portal runs embedded: SQLite, Celery tasks run
eagerly in-process, files on local disk, e-mail to the console. Variables switch
each part to its production service (README, "Configuration").
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "production" turns on every protection `manage.py check --deploy` asks for.
PROFILE = os.environ.get("PORTAL_PROFILE", "development")
PRODUCTION = PROFILE == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
    SECRET_KEY = "development-only-key-never-used-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "portal",
    "crispy_forms",
    "crispy_bootstrap5",
    "portal.axes_app.AxesConfig",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "pgtrigger",
    "pghistory",
    "accounts",
    "filings",
    # The kinds of filing: each an app of its own that registers itself (filings.kinds).
    "filings.kinds.alliance",
    "filings.kinds.consortium",
    "filings.kinds.cluster",
    "filings.kinds.product",
    "review",
    "workdays",
    "review.reports",
    "review.dossier",
    # The open data API (api/): its OpenAPI schema and documentation page. Django REST framework
    # and django-filter are not listed: their message catalogues would replace Django's own
    # Chinese for every form in the portal ("该字段是必填项。" for "这个字段是必填项。").
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    # Programme oversight (seed 003 三): statistics and 通报.
    "review.statistics",
    "review.directory",
]

# The history of changes (django-pghistory) records who and from where for the requests that
# change data; a page read changes nothing and pays nothing for it.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

MIDDLEWARE = [
    # Outermost: whatever layer loses the database, the answer is our own 503 page.
    "portal.middleware.DatabaseUnavailableMiddleware",
    # First: every later line of the log, and the error page, carry the request id.
    "log_request_id.middleware.RequestIDMiddleware",
    "portal.logs.RequestLogMiddleware",
    "portal.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.SessionLimitsMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "portal.middleware.HistoryContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.SignedInNoStoreMiddleware",
    # Turns a refused rate limit into the 429 page (portal.ratelimits).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Static files from the collected tree, without a separate web server.
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware")
# Outside production (scripts/run.sh serves with DEBUG off) WhiteNoise reads the
# static folders themselves: no collectstatic before a development start.
WHITENOISE_USE_FINDERS = not PRODUCTION

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "accounts.context_processors.role",
                "portal.navigation.navigation",
            ],
        },
    },
    {
        # The bodies of the busiest lists (portal/pages.py), drawn by Jinja2 inside base.html.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "portal.jinja2.environment", "auto_reload": DEBUG},
    },
]

# --- Database: DATABASE_URL, else an SQLite file beside the code.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Behind a pooler that shares sessions between clients (PgBouncer's transaction mode): no server-side
# cursors and no prepared statements (portal/prepared.py).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = os.environ.get("DATABASE_POOLER", "").lower() == "transaction"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Several requests write at once (a draft autosave beside an upload):
    # wait for the lock instead of failing, and use WAL so readers never block.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the signed-in user read from the cache on each request.
    "accounts.backends.CachedModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor sign-in (accounts/second_factor.py); the issuer is what authenticator apps show.
OTP_TOTP_ISSUER = "上海市知识产权局备案申报平台"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:after-login"
LOGOUT_REDIRECT_URL = "public:home"

# Repeated failed logins lock the account for a while: from one address, and also when
# the failures for one account come from many addresses.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal.http.axes_username"
# Rate limits of the public doors, per client address (portal/ratelimits.py), as "count/period".
RATE_LIMITS = {
    "register": os.environ.get("PORTAL_RATE_REGISTER", "10/h"),
    "password_reset": os.environ.get("PORTAL_RATE_PASSWORD_RESET", "5/h"),
    "verify_upload": os.environ.get("PORTAL_RATE_VERIFY_UPLOAD", "30/h"),
}
RATELIMIT_VIEW = "portal.ratelimits.ratelimited"
# One notion of the client's address for throttling, audit events and objections.
PORTAL_PROXY_COUNT = int(os.environ.get("PORTAL_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "portal.http.axes_client_ip"

# --- Language: Simplified Chinese first.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (WhiteNoise) and uploads (never inside the static tree).
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# No MEDIA_URL is served: every upload goes out through a view that checks who asks.
MEDIA_URL = "/media-not-served/"

S3_BUCKET = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": os.environ.get("AWS_LOCATION", "portal"),
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
UPLOAD_MAX_BYTES = int(os.environ.get("PORTAL_UPLOAD_MAX_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Virus scan of uploads by ClamAV's clamd ("host:port" or a socket path); empty: off.
CLAMD_ADDRESS = os.environ.get("PORTAL_CLAMD_ADDRESS", "")
CLAMD_TIMEOUT_SECONDS = float(os.environ.get("PORTAL_CLAMD_TIMEOUT_SECONDS", "60"))
# Any request body: one upload and its form (portal.middleware), refused before it is read.
REQUEST_BODY_MAX_BYTES = UPLOAD_MAX_BYTES + 1024 * 1024
# Formsets (rows of members, patents...) never hold more than this many rows.
FORMSET_MAX_ROWS = int(os.environ.get("PORTAL_FORMSET_MAX_ROWS", "100"))
# Any free text of a form, in characters (the notices' 字数 rules are findings, and stricter).
TEXT_MAX_CHARS = int(os.environ.get("PORTAL_TEXT_MAX_CHARS", "20000"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- E-mail: the console unless an SMTP host (or a folder to write each e-mail to) is given.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
elif os.environ.get("PORTAL_EMAIL_FILE_PATH"):
    # Each e-mail written to a file in that folder, to be counted (bench/load.py).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["PORTAL_EMAIL_FILE_PATH"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "上海市知识产权局备案申报平台 <noreply@localhost>")
EMAIL_SUBJECT_PREFIX = "[知识产权备案申报] "

# --- Celery: a broker URL sends tasks to workers; without one they run in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# No result backend unless one is asked for: nothing reads task results, and a backend
# on a broker that is down made every publish wait for its twenty reconnection attempts.
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it has finished; a worker that dies hands it back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing gives up quickly: the outbox keeps what could not be sent (filings.outbox).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# Redis hands an unacknowledged task (its worker was killed) to another worker after the
# visibility timeout; it must outlast the longest task (a render is stopped at 150 s).
# The outbox re-sends unfinished work sooner (OUTBOX_REDELIVER_SECONDS), so this bounds nothing
# an applicant waits for.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "900")),
    "socket_connect_timeout": 2,
    # Opening a channel to publish: one quick retry, not kombu's three seconds of them.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# The 申请书 render is stopped after this long (soft: the task fails and shows as failed;
# hard: the worker process is killed). Time limits need the prefork pool.
RENDER_SOFT_SECONDS = float(os.environ.get("PORTAL_RENDER_SOFT_SECONDS", "120"))
RENDER_HARD_SECONDS = float(os.environ.get("PORTAL_RENDER_HARD_SECONDS", "150"))
# A worker process that has grown past this (KiB) after a task is replaced by a fresh one.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(os.environ.get("PORTAL_WORKER_MAX_MEMORY_MB", "700")) * 1024
# The hard ceiling (address space) of a worker process, in MB; 0 leaves it unlimited (portal.celery).
WORKER_MEMORY_LIMIT_MB = int(os.environ.get("PORTAL_WORKER_MEMORY_LIMIT_MB", "0"))
# The outbox (filings.outbox): published work not done after this is sent again; after
# this many sends it is given up and shown to staff; done rows are kept this long.
OUTBOX_REDELIVER_SECONDS = int(os.environ.get("PORTAL_OUTBOX_REDELIVER_SECONDS", "300"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("PORTAL_OUTBOX_MAX_ATTEMPTS", "8"))
OUTBOX_KEEP_DONE_DAYS = int(os.environ.get("PORTAL_OUTBOX_KEEP_DONE_DAYS", "14"))
CELERY_BEAT_SCHEDULE = {
    "outbox-relay": {"task": "filings.tasks.outbox_relay_task", "schedule": 15.0},
    "expert-reminders": {"task": "review.tasks.expert_reminders_task", "schedule": 3600.0},
    "report-reminders": {"task": "reports.tasks.report_reminders_task", "schedule": 3600.0 * 6},
    "product-yearly-reminders": {"task": "product.tasks.product_yearly_reminders_task", "schedule": 3600.0 * 6},
    "correction-reminders": {"task": "review.audit.tasks.correction_reminders_task", "schedule": 3600.0},
    "retention": {"task": "portal.tasks.retention_task", "schedule": 24 * 3600.0},
}

# --- Caches: Redis when given, else per-process memory. A cache that is down costs
# speed, never a page: errors are ignored (reads miss, writes are dropped) and the
# connection gives up quickly. Sessions are written through to the database.
if os.environ.get("REDIS_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_CACHE_URL"],
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous views of public pages are cached this long (portal/cache.py); 0 turns it off.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PORTAL_PUBLIC_CACHE_SECONDS", "60"))

# --- Crispy forms
# Widgets are drawn by Jinja2 where Django ships them for it (portal/renderers.py): a table step
# of 40 rows has some 300 widgets, and Django's template engine spent most of the page on them.
FORM_RENDERER = "portal.renderers.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Production hardening (checked by `manage.py check --deploy`).
# Sessions read from the cache, written through to the database: one query fewer per page.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
# A session ends after this long without a request, and at the latest this long after signing in.
SESSION_IDLE_SECONDS = int(os.environ.get("PORTAL_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_COOKIE_AGE = int(os.environ.get("PORTAL_SESSION_MAX_HOURS", "8")) * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The templates carry no inline script or style (static/js, static/css), so scripts,
# styles, images and fonts come from the portal itself and nowhere else.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# No page needs a device feature of the browser.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# --- Logs: JSON lines with the request id; kept PORTAL_LOG_RETENTION_DAYS days in PORTAL_LOG_DIR
# (portal/logs.py). Each process rotates at midnight: give each gunicorn master its own directory.
LOG_DIR = os.environ.get("PORTAL_LOG_DIR", "")
LOG_RETENTION_DAYS = int(os.environ.get("PORTAL_LOG_RETENTION_DAYS", "183"))
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
# Behind a trusted proxy its request id is kept, so that both logs tell of the same request.
LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID" if PORTAL_PROXY_COUNT else None
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING")
_JSON = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
    "datefmt": "%Y-%m-%dT%H:%M:%S%z",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    "json_ensure_ascii": False,
}
LOG_HANDLERS = {"console": {"class": "logging.StreamHandler", "formatter": "json"}}
if LOG_DIR:
    Path(LOG_DIR).mkdir(parents=True, exist_ok=True)
    for name in ("portal", "audit"):
        LOG_HANDLERS[f"{name}_file"] = {
            "class": "logging.handlers.TimedRotatingFileHandler",
            "filename": str(Path(LOG_DIR) / f"{name}.log"),
            "when": "midnight",
            "backupCount": LOG_RETENTION_DAYS,
            "encoding": "utf-8",
            "formatter": "json",
        }
_FILE = ["portal_file"] if LOG_DIR else []
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": _JSON},
    "handlers": LOG_HANDLERS,
    "loggers": {
        "portal.request": {"level": "INFO"},
        # The audit lines also have a file of their own.
        "portal.audit": {"handlers": ["audit_file"] if LOG_DIR else [], "level": "INFO"},
    },
    "root": {"handlers": ["console", *_FILE], "level": LOG_LEVEL},
}

# --- The portal's own settings (SPEC "interpretation" rules live here, not in code).
PORTAL_NAME = "上海市知识产权局 备案与项目申报平台"
# How long a visitor is told to wait when the database is unavailable (503 Retry-After).
PORTAL_RETRY_AFTER_SECONDS = int(os.environ.get("PORTAL_RETRY_AFTER_SECONDS", "30"))
# The address people reach the portal at: links in e-mails and the QR code on every PDF.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
PUBLICITY_WORKING_DAYS = int(os.environ.get("PORTAL_PUBLICITY_WORKING_DAYS", "5"))
EXPERTS_PER_FILING = int(os.environ.get("PORTAL_EXPERTS_PER_FILING", "3"))
# Working days by the official calendar (workdays/), as is the reminder window below.
EXPERT_REVIEW_DAYS = int(os.environ.get("PORTAL_EXPERT_REVIEW_DAYS", "10"))
EXPERT_REMINDER_DAYS = int(os.environ.get("PORTAL_EXPERT_REMINDER_DAYS", "2"))
# seed 003 附件 一.3（1）: 不同颜色、大小、配置等应归类为同一备案产品. Words that, after a model code,
# name a variant of it rather than another model (filings/kinds/product/variants.py); our reading.
PRODUCT_VARIANT_COLOURS = env_list(
    "PORTAL_PRODUCT_VARIANT_COLOURS",
    "黑,白,红,蓝,绿,黄,紫,灰,银,金,粉,橙,棕,青,褐,"
    "black,white,red,blue,green,yellow,purple,grey,gray,silver,gold,pink,orange,brown",
)
PRODUCT_VARIANT_WORDS = env_list(
    "PORTAL_PRODUCT_VARIANT_WORDS",
    "标准版,基础版,入门版,低配版,中配版,高配版,顶配版,豪华版,舒适版,尊享版,精英版,"
    "标准款,基础款,豪华款,大号,中号,小号,加大号,特大号,迷你款",
)
# Characters that do not tell two model codes apart ("X-30" is "X30").
PRODUCT_MODEL_SEPARATORS = os.environ.get("PORTAL_PRODUCT_MODEL_SEPARATORS", "-_‐‑‒–—―－·・()[]{}【】〔〕,，、")
# 补正: the default period a call gives (working days), and how many working days before its end the applicant is reminded.
CORRECTION_WORKING_DAYS = int(os.environ.get("PORTAL_CORRECTION_WORKING_DAYS", "10"))
CORRECTION_REMINDER_WORKING_DAYS = int(os.environ.get("PORTAL_CORRECTION_REMINDER_WORKING_DAYS", "2"))
# Conflict of interest by parent organisation: an expert's unit whose name begins with a party's
# name ending in one of these (复旦大学 → 复旦大学计算机学院), or the other way round, is in conflict.
EXPERT_CONFLICT_PARENT_SUFFIXES = tuple(
    s
    for s in os.environ.get("PORTAL_EXPERT_CONFLICT_PARENT_SUFFIXES", "大学,学院,研究院,研究所,集团,公司").split(",")
    if s
)
# Retention (portal/retention.py): objectors' names and contacts this many days after the
# 公示 ends (once decided); drafts never submitted, this many days after they were last touched.
OBJECTOR_DATA_DAYS = int(os.environ.get("PORTAL_OBJECTOR_DATA_DAYS", "365"))
DRAFT_RETENTION_DAYS = int(os.environ.get("PORTAL_DRAFT_RETENTION_DAYS", "365"))
# seed 004 申报条件（一）: "中心城区" is not defined in the notice; our reading.
CENTRAL_DISTRICTS = env_list("PORTAL_CENTRAL_DISTRICTS", "黄浦区,徐汇区,长宁区,静安区,普陀区,虹口区,杨浦区")

# --- The open data API (/api/v1/): public, read-only, no personal data.
REST_FRAMEWORK = {
    # Anonymous only: no session (so no CSRF) and no password login that would bypass axes.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "api.renderers.CSVRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # The rate limit runs before the cache of answers (api/caching.py), not inside the views.
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Requests per client address: "120/min", "2000/hour"...
API_RATE_LIMIT = os.environ.get("PORTAL_API_RATE_LIMIT", "120/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "上海市知识产权局 开放数据接口",
    "DESCRIPTION": "备案库/立项名单与公示名单的只读接口：JSON 或 CSV（?format=csv），游标分页，"
    "ETag/Last-Modified 条件请求，按来源地址限流。不含任何个人信息。",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- PAdES signatures of the documents the bureau issues (filings/signing.py; README "Signatures").
SIGNING_DIR = Path(os.environ.get("PORTAL_SIGNING_DIR", VAR_DIR / "signing"))
# The bureau's key and certificate chain (PKCS#12). Outside production the demo's test
# certificate (`manage.py signing_demo`, run by load_demo) is the default.
SIGNING_PKCS12 = os.environ.get("PORTAL_SIGNING_PKCS12", "" if PRODUCTION else str(SIGNING_DIR / "demo-bureau.p12"))
SIGNING_PASSPHRASE = os.environ.get("PORTAL_SIGNING_PASSPHRASE", "" if PRODUCTION else "demo-only")
# PEM files of the CAs whose signatures the verification page calls trusted.
SIGNING_TRUST_ROOTS = env_list("PORTAL_SIGNING_TRUST_ROOTS", "" if PRODUCTION else str(SIGNING_DIR / "demo-ca.pem"))
SIGNING_STAMP_FONT = os.environ.get(
    "PORTAL_SIGNING_STAMP_FONT", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
)
