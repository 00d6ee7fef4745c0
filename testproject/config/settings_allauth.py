"""The test project with django-allauth for its accounts, as many real sites have them."""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "allauth", "allauth.account"]  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE, "allauth.account.middleware.AccountMiddleware"]  # noqa: F405
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ROOT_URLCONF = "config.urls_allauth"
LOGIN_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = True

# allauth names its login field "login"; the kit's flows only need telling.
INTEGRATION_KIT = {
    "SIGNUP_URL": "account_signup",
    "LOGIN_FIELDS": ("login", "password"),
    "LOGOUT_URL": "account_logout",
}
