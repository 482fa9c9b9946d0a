"""Settings classes, read from the environment; `create_app(name)` picks one by name."""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _list(name: str) -> list[str] | None:
    items = [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]
    return items or None


def _database_url(variable: str, default: str) -> str:
    url = os.environ.get(variable) or default
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    SECRET_KEY = None  # filled in by load_config so that importing this module writes nothing
    SQLALCHEMY_DATABASE_URI = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False

    ENV_NAME = "development"
    SITE_NAME = os.environ.get("SITE_NAME", "Roundtable")
    # The public address: every absolute link (mail, feeds, calendars, commands) is built on it,
    # never on the Host header of a request, which the client chooses.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    # Host names a request may carry (Flask refuses others with 400); None accepts any.
    TRUSTED_HOSTS: list[str] | None = None
    # How many reverse proxies stand in front of the application: each appends the address it
    # heard from to X-Forwarded-For, so the client's is that many entries from the end.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    SERVER_NAME = os.environ.get("SERVER_NAME") or None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    # Sent as Strict-Transport-Security when not empty; production only (browsers ignore it over
    # plain HTTP, but a development machine answering on https://localhost would be pinned).
    STRICT_TRANSPORT_SECURITY = ""
    # An organizer who sends no request for this long is signed out (and gets no remember cookie).
    ORGANIZER_IDLE_MINUTES = int(os.environ.get("ORGANIZER_IDLE_MINUTES", "30"))

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # tied to the session: a long form must not expire under a diplomat

    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Roundtable <no-reply@roundtable.local>")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10"))
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    # Try to deliver a request's mail right after its commit; whatever fails stays for the worker.
    OUTBOX_SEND_AFTER_REQUEST = _bool("OUTBOX_SEND_AFTER_REQUEST", True)
    OUTBOX_SEND_AFTER_REQUEST_LIMIT = int(os.environ.get("OUTBOX_SEND_AFTER_REQUEST_LIMIT", "10"))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "roundtable")
    RATELIMIT_HEADERS_ENABLED = True
    # Failed sign-ins only. The client's address (see PROXY_COUNT) across accounts, and each
    # account from each address, with longer waits as failures go on; never an account alone,
    # which would let anyone lock its owner out.
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per 15 minutes; 60 per day")
    LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS = os.environ.get(
        "LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS", "5 per 15 minutes; 10 per hour; 20 per day"
    )

    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    # The largest request, so the largest library upload: 50 MB unless set (bytes).
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(50 * 1024 * 1024)))
    # Read an upload's text once the answer has gone out; `flask library extract` catches up.
    LIBRARY_EXTRACT_AFTER_REQUEST = _bool("LIBRARY_EXTRACT_AFTER_REQUEST", True)
    LIBRARY_EXTRACT_AFTER_REQUEST_LIMIT = int(os.environ.get("LIBRARY_EXTRACT_AFTER_REQUEST_LIMIT", "10"))
    # ZIP-based files (DOCX, XLSX, PPTX, OpenDocument) that would inflate beyond these are refused:
    # the declared total (bytes), a large part's compression ratio, the number of files inside.
    ARCHIVE_MAX_TOTAL_BYTES = int(os.environ.get("ARCHIVE_MAX_TOTAL_BYTES", str(100 * 1024 * 1024)))
    ARCHIVE_MAX_RATIO = int(os.environ.get("ARCHIVE_MAX_RATIO", "100"))
    ARCHIVE_MAX_MEMBERS = int(os.environ.get("ARCHIVE_MAX_MEMBERS", "10000"))
    # What reading one file's text may inflate, all its parts together (bytes); past it, the
    # document is held for an organizer to read.
    LIBRARY_TEXT_MAX_BYTES = int(os.environ.get("LIBRARY_TEXT_MAX_BYTES", str(50 * 1024 * 1024)))

    INVITATION_TOKEN_MAX_AGE = int(os.environ.get("INVITATION_TOKEN_MAX_AGE", str(7 * 24 * 3600)))
    RESET_TOKEN_MAX_AGE = int(os.environ.get("RESET_TOKEN_MAX_AGE", str(7 * 24 * 3600)))
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a password
    # Organizers see everything: when on, one without two-step sign-in must enrol before anything else.
    ORGANIZER_SECOND_FACTOR_REQUIRED = _bool("ORGANIZER_SECOND_FACTOR_REQUIRED", False)
    # How long the code may be typed after the password (seconds), and how often it may be wrong.
    SECOND_STEP_MAX_AGE = int(os.environ.get("SECOND_STEP_MAX_AGE", "300"))
    SECOND_STEP_LIMIT_PER_ACCOUNT = os.environ.get("SECOND_STEP_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    # Each commit waits until the database has it on disk (SQLite synchronous, PostgreSQL
    # synchronous_commit); only a throwaway test database may skip the wait.
    DURABLE_COMMITS = True

    LANGUAGES = {"en": "English", "fr": "Français", "ar": "العربية"}
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Africa/Cairo"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "coordination" / "translations")

    # The service catalogue and the eligibility guide without signing in (for migrants' helpers).
    CATALOGUE_PUBLIC = _bool("CATALOGUE_PUBLIC", False)
    ROUNDTABLE_REMINDER_DAYS = os.environ.get("ROUNDTABLE_REMINDER_DAYS", "7,1")
    # Owners of action items hear this many days before the due date (and once when overdue).
    ACTION_ITEM_REMINDER_DAYS = int(os.environ.get("ACTION_ITEM_REMINDER_DAYS", "7"))
    PER_PAGE = 25
    # Data a few slow pages keep between requests (coordination.cache). With several workers or
    # hosts, set CACHE_REDIS_URL so that they share it; without it each process keeps its own.
    CACHE_ENABLED = _bool("CACHE_ENABLED", True)
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or None
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "roundtable:cache:")
    CACHE_TIMEOUT = int(os.environ.get("CACHE_TIMEOUT", "3600"))  # seconds, a bound on any surprise
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")


class DevelopmentConfig(Config):
    DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'roundtable.db'}"


class ProductionConfig(Config):
    ENV_NAME = "production"
    DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'roundtable.db'}"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    STRICT_TRANSPORT_SECURITY = os.environ.get(
        "STRICT_TRANSPORT_SECURITY", "max-age=31536000; includeSubDomains"
    )
    # Comma-separated; unset, only the host of BASE_URL (see create_app).
    TRUSTED_HOSTS = _list("TRUSTED_HOSTS")


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    DEFAULT_DATABASE_URL = "sqlite:///" + str(INSTANCE_DIR / "test.db")
    SECRET_KEY_OVERRIDE = "test-secret-key"  # noqa: S105 - tests only
    WTF_CSRF_ENABLED = False
    MAIL_SERVER = None
    RATELIMIT_STORAGE_URI = "memory://"
    OUTBOX_SEND_AFTER_REQUEST = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - fast hashes keep the suite quick; production uses scrypt
    # Tests empty tables behind the session's back (see tests/conftest.py): kept data would
    # outlive them. The cache's own tests switch it on.
    CACHE_ENABLED = False
    # Waiting for the disk on every commit made the suite several times slower on a busy machine;
    # a crash can only lose a test database.
    DURABLE_COMMITS = False


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def load_config(name: str | None) -> type[Config]:
    """The settings class for `name` (default: FLASK_CONFIG, else development), completed."""
    cls = CONFIGS[name or os.environ.get("FLASK_CONFIG", "development")]
    variable = "TEST_DATABASE_URL" if cls is TestingConfig else "DATABASE_URL"
    cls.SQLALCHEMY_DATABASE_URI = _database_url(variable, cls.DEFAULT_DATABASE_URL)
    # A server can drop idle connections, so check each one before use; a SQLite file cannot,
    # and the check would cost a query on every request.
    cls.SQLALCHEMY_ENGINE_OPTIONS = (
        {} if cls.SQLALCHEMY_DATABASE_URI.startswith("sqlite") else {"pool_pre_ping": True}
    )
    cls.SECRET_KEY = getattr(cls, "SECRET_KEY_OVERRIDE", None) or _secret_key()
    return cls
