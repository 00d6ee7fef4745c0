"""The one place that reads ``settings.INTEGRATION_KIT``."""

from __future__ import annotations

import difflib
from typing import Any

DEFAULTS: dict[str, Any] = {
    "SIGNUP_URL": "signup",
    "SIGNUP_PASSWORD_FIELDS": ("password1", "password2"),
    "LOGIN_URL": None,
    "LOGIN_FIELDS": ("username", "password"),
    "LOGOUT_URL": "logout",
    "FAST_PASSWORD_HASHER": True,
    "BLOCK_NETWORK": True,
    "ENFORCE_CSRF": False,
    "CLEAR_CACHES": True,
    "BROWSER_EXECUTABLE": None,
}


def _unknown_key_message(key: str, where: str) -> str:
    close = difflib.get_close_matches(key, DEFAULTS, n=3)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"Unknown django-integration-kit setting {key!r} in {where}.{hint}"


def _user_settings() -> dict[str, Any]:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    configured = getattr(settings, "INTEGRATION_KIT", None) or {}
    if not isinstance(configured, dict):
        raise ImproperlyConfigured(
            f"settings.INTEGRATION_KIT must be a dict, not {type(configured).__name__}."
        )
    for key in configured:
        if key not in DEFAULTS:
            raise ImproperlyConfigured(_unknown_key_message(key, "settings.INTEGRATION_KIT"))
    return configured


def get_setting(name: str, owner: object | None = None) -> Any:
    """Return the kit setting ``name``: a lower-case attribute of ``owner`` (a test class)
    wins over ``settings.INTEGRATION_KIT``, which wins over the default."""
    if name not in DEFAULTS:
        raise KeyError(_unknown_key_message(name, "get_setting()"))
    if owner is not None:
        value = getattr(owner, name.lower(), _MISSING)
        if value is not _MISSING:
            return value
    return _user_settings().get(name, DEFAULTS[name])


def owner_of(client: object) -> object | None:
    """The test class whose lower-case attributes configure flows run with ``client``."""
    return getattr(client, "kit_owner", None)


_MISSING = object()
