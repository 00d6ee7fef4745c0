"""Settings of the test project: a small real site, on SQLite unless KIT_DB says otherwise."""

import os
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "testproject-insecure-key-for-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

TEST_RUNNER = "config.runner.SummaryRunner"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "accounts",
    "catalog",
    "widgets",
    "newsletter",
    "weather",
    "trials",
    "quirks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

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


def _database(engine: str) -> dict:
    """Connection settings for KIT_DB=sqlite|postgres|mariadb, overridable by KIT_DB_* vars."""
    if engine == "postgres":
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("KIT_DB_NAME", "postgres"),
            "USER": os.environ.get("KIT_DB_USER", "postgres"),
            "PASSWORD": os.environ.get("KIT_DB_PASSWORD", ""),
            "HOST": os.environ.get("KIT_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("KIT_DB_PORT", "5432"),
        }
    if engine == "mariadb":
        return {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("KIT_DB_NAME", "test"),
            "USER": os.environ.get("KIT_DB_USER", "root"),
            "PASSWORD": os.environ.get("KIT_DB_PASSWORD", ""),
            "HOST": os.environ.get("KIT_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("KIT_DB_PORT", "3306"),
            "OPTIONS": {"charset": "utf8mb4"},
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}


DATABASES = {"default": _database(os.environ.get("KIT_DB", "sqlite"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The project keeps Django's default password hashers (PBKDF2) and validators on purpose:
# the kit's fast hasher must make tests fast without the project changing its settings.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"

DEFAULT_FROM_EMAIL = "site@example.com"

# Django 6.1 replaces EMAIL_BACKEND with MAILERS and warns when mail is sent without it; the
# test runner points every mailer at the locmem backend either way.
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
