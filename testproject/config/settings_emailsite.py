"""The test project as a different site: an email user model with its own signup form."""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "emailsite"]  # noqa: F405
AUTH_USER_MODEL = "emailsite.Member"
ROOT_URLCONF = "emailsite.urls"
LOGIN_URL = "members:sign_in"
LOGIN_REDIRECT_URL = "members:home"
LOGOUT_REDIRECT_URL = "members:sign_in"
