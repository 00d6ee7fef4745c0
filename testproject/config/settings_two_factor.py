"""The test project with django-two-factor-auth guarding its login, as its docs set it up.

Its login view replaces the project's: a formtools wizard whose first step takes the
credentials and whose second asks users who have a device for their token.
"""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [
    *INSTALLED_APPS,  # noqa: F405
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
]
# OTPMiddleware reads request.user, so it comes right after AuthenticationMiddleware.
MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
ROOT_URLCONF = "config.urls_two_factor"
LOGIN_URL = "two_factor:login"
