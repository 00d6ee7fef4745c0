"""django-oscar's shop as the whole site, with the fewest settings that serve its pages.

Oscar's own apps, its search through haystack's simple backend (no search server), sorl
thumbnails, the sites and flatpages frameworks it builds on, and its email login backend.
"""

import oscar
from django.conf import global_settings
from oscar.defaults import *  # noqa: F403

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*oscar.INSTALLED_APPS, "sorl.thumbnail"]
SITE_ID = 1
MIDDLEWARE = [
    *MIDDLEWARE,  # noqa: F405
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]
TEMPLATES[0]["OPTIONS"]["context_processors"] = [  # noqa: F405
    *TEMPLATES[0]["OPTIONS"]["context_processors"],  # noqa: F405
    "oscar.apps.search.context_processors.search_form",
    "oscar.apps.checkout.context_processors.checkout",
    "oscar.apps.communication.notifications.context_processors.notifications",
    "oscar.core.context_processors.metadata",
]
AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
ROOT_URLCONF = "config.urls_oscar"
# Oscar mounts its accounts at /accounts/, where Django's defaults already point.
LOGIN_URL = global_settings.LOGIN_URL
LOGIN_REDIRECT_URL = global_settings.LOGIN_REDIRECT_URL
LOGOUT_REDIRECT_URL = global_settings.LOGOUT_REDIRECT_URL
