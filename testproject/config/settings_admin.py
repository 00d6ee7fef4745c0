"""Django's admin as the whole site: a staff-only back office, as many projects run it.

The site has no login page of its own, so LOGIN_URL keeps Django's default; the admin brings
its own login view at admin:login.
"""

from django.conf import global_settings

from config.settings import *  # noqa: F403

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "shelf",
]
ROOT_URLCONF = "config.urls_admin"
LOGIN_URL = global_settings.LOGIN_URL
LOGIN_REDIRECT_URL = global_settings.LOGIN_REDIRECT_URL
LOGOUT_REDIRECT_URL = global_settings.LOGOUT_REDIRECT_URL
