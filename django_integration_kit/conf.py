"""The one place that reads ``settings.INTEGRATION_KIT``, and checks every value it reads."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from django_integration_kit import _frames

_frames.hide(globals())

DEFAULTS: dict[str, Any] = {
    "SIGNUP_URL": None,
    "SIGNUP_PASSWORD_FIELDS": ("password1", "password2"),
    "LOGIN_URL": None,
    "LOGIN_FIELDS": ("username", "password"),
    "LOGOUT_URL": None,
    "FAST_PASSWORD_HASHER": True,
    "BLOCK_NETWORK": True,
    "ENFORCE_CSRF": False,
    "CLEAR_CACHES": True,
    "BROWSER_EXECUTABLE": None,
}

_ATTRIBUTES = {name: name.lower() for name in DEFAULTS}


def _unknown_key_message(key: str, where: str) -> str:
    close = difflib.get_close_matches(key, DEFAULTS, n=3)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"Unknown django-integration-kit setting {key!r} in {where}.{hint}"


def origin(name: str, owner: object | None = None) -> str:
    """Where the value of setting ``name`` comes from, as error messages name it."""
    if owner is not None and hasattr(owner, name.lower()):
        return _attribute_origin(name, owner)
    return f"settings.INTEGRATION_KIT[{name!r}]"


def _attribute_origin(name: str, owner: object) -> str:
    owner_name = owner.__name__ if isinstance(owner, type) else type(owner).__name__
    return f"the {name.lower()} attribute of {owner_name}"


class _Invalid(Exception):
    """A value a check refuses; the message goes on from where the value came from."""


def _kind(value: object) -> str:
    """``value``'s type in words: 'a str', 'an int', 'a tuple of 1 item'."""
    name = type(value).__name__
    article = "an" if name[0] in "aeiou" else "a"
    if isinstance(value, (tuple, list)):
        count = len(value)
        return f"{article} {name} of {count} item{'' if count == 1 else 's'}"
    if isinstance(value, str) and not value:
        return "an empty str"
    return f"{article} {name}"


def _invalid(value: object, expected: str) -> _Invalid:
    return _Invalid(f"is {value!r}, {_kind(value)}; expected {expected}.")


_URL_EXPECTED = {
    "SIGNUP_URL": (
        "None (to find the signup page by its URL name), a URL name such as 'account_signup', "
        "or a path starting with '/'"
    ),
    "LOGIN_URL": (
        "None (to use settings.LOGIN_URL), a URL name such as 'account_login', a path starting "
        "with '/', or a full URL"
    ),
    "LOGOUT_URL": (
        "None (to find the logout page by its URL name, or else end the session), a URL name "
        "such as 'account_logout', or a path starting with '/'"
    ),
}


def _url(name: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        from django.utils.functional import Promise

        # reverse_lazy() gives a Promise, as Django's own LOGIN_URL allows.
        if not isinstance(value, Promise):
            raise _invalid(value, _URL_EXPECTED[name])
        value = str(value)
    if not value:
        raise _invalid(value, _URL_EXPECTED[name])
    if "/" in value and not value.startswith("/"):
        if "://" not in value:
            raise _Invalid(
                f"is {value!r}, which is neither a URL name nor a path: a path must start "
                f"with '/', as in {'/' + value!r}."
            )
        if name != "LOGIN_URL":
            from urllib.parse import urlsplit

            raise _Invalid(
                f"is {value!r}, a full URL; expected a URL name or a path of the project "
                f"such as {urlsplit(value).path or '/'!r}, since the test client only "
                "requests the project's own pages."
            )
    return value


def _field_names(value: object) -> tuple[str, ...]:
    if isinstance(value, tuple) and all(isinstance(item, str) and item for item in value):
        return value
    if isinstance(value, str):
        raise _invalid(
            value,
            "a tuple of field names such as ('password1', 'password2'); a 1-tuple needs a "
            f"trailing comma: ({value!r},)",
        )
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise _invalid(
            value,
            "a tuple of field names such as ('password1', 'password2'), or () to use the "
            "form's password inputs",
        )
    return tuple(value)


def _login_fields(value: object) -> tuple[str, str]:
    if (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], str)
        and value[0]
        and value[1]
        and value[0] != value[1]
    ):
        return value[0], value[1]
    example = (value, "password") if isinstance(value, str) and value else ("username", "password")
    expected = (
        "a pair of field names, the login form's username field then its password field, "
        f"such as {example!r}"
    )
    if isinstance(value, str):
        # ("email") is the str "email": the parentheses alone make no tuple.
        raise _invalid(value, f"{expected}; parentheses alone do not make a tuple")
    if isinstance(value, (tuple, list)) and len(value) == 2 and value[0] == value[1]:
        raise _invalid(value, f"{expected}, two different names")
    raise _invalid(value, expected)


def _bool(value: object) -> bool:
    # 0, 1 and "False" are refused: "False" is truthy, and an int hints at another mistake.
    if value is True or value is False:
        return value
    raise _invalid(value, "True or False")


def _executable(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str) or not value:
        raise _invalid(
            value,
            "None (to look for Chromium on PATH) or the path of a Chromium or Chrome executable",
        )
    return value


_CHECKS: dict[str, Callable[[object], Any]] = {
    "SIGNUP_URL": partial(_url, "SIGNUP_URL"),
    "SIGNUP_PASSWORD_FIELDS": _field_names,
    "LOGIN_URL": partial(_url, "LOGIN_URL"),
    "LOGIN_FIELDS": _login_fields,
    "LOGOUT_URL": partial(_url, "LOGOUT_URL"),
    "FAST_PASSWORD_HASHER": _bool,
    "BLOCK_NETWORK": _bool,
    "ENFORCE_CSRF": _bool,
    "CLEAR_CACHES": _bool,
    "BROWSER_EXECUTABLE": _executable,
}


def _checked(name: str, value: object, where: str | Callable[[], str]) -> Any:
    """``value`` as the check of ``name`` returns it; ``where`` is only built for the error."""
    try:
        return _CHECKS[name](value)
    except _Invalid as error:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"{where if isinstance(where, str) else where()} {error}"
        ) from None


# The checked settings: (the dict they came from, a copy of it, the result); None until read
# and again after override_settings changes INTEGRATION_KIT.
_validated: tuple[Mapping[str, Any] | None, dict[str, Any] | None, dict[str, Any]] | None = None


def _user_settings() -> dict[str, Any]:
    global _validated
    cached = _validated
    # Comparing with a copy catches a dict edited in place; it costs far less than reading
    # settings.INTEGRATION_KIT, a lookup through LazySettings (and an exception when unset).
    if cached is not None and cached[1] == cached[0]:
        return cached[2]
    configured = getattr(_django_settings(), "INTEGRATION_KIT", None)
    checked = _check_user_settings(configured)
    _validated = (configured, None if configured is None else dict(configured), checked)
    return checked


def _django_settings() -> Any:
    """django.conf.settings, imported on first use so that importing the kit imports no Django."""
    from django.conf import settings
    from django.core.signals import setting_changed

    # As Django's own caches do (its password hashers, its URL resolvers), follow
    # override_settings through its signal; assigning to settings directly is not supported.
    setting_changed.connect(_forget_settings, dispatch_uid=__name__)
    return settings


def _forget_settings(*, setting: str, **kwargs: Any) -> None:
    global _validated
    if setting == "INTEGRATION_KIT":
        _validated = None


def _check_user_settings(configured: object) -> dict[str, Any]:
    from django.core.exceptions import ImproperlyConfigured
    from django.utils.functional import Promise

    if configured is None:
        return {}
    if not isinstance(configured, Mapping):
        raise ImproperlyConfigured(
            f"settings.INTEGRATION_KIT must be a dict, not {type(configured).__name__}."
        )
    checked: dict[str, Any] = {}
    for key, value in configured.items():
        if key not in DEFAULTS:
            raise ImproperlyConfigured(_unknown_key_message(key, "settings.INTEGRATION_KIT"))
        if isinstance(value, Promise):
            # What a lazy URL reverses to follows ROOT_URLCONF: it is checked at each read.
            checked[key] = value
        else:
            checked[key] = _checked(key, value, f"settings.INTEGRATION_KIT[{key!r}]")
    return checked


def get_setting(name: str, owner: object | None = None) -> Any:
    """Return the kit setting ``name``, checked: a lower-case attribute of ``owner`` (a test
    class) wins over ``settings.INTEGRATION_KIT``, which wins over the default."""
    if name not in DEFAULTS:
        raise KeyError(_unknown_key_message(name, "get_setting()"))
    if owner is not None:
        value = getattr(owner, _ATTRIBUTES[name], _MISSING)
        if value is not _MISSING:
            return _checked(name, value, lambda: _attribute_origin(name, owner))
    user = _user_settings()
    if name not in user:
        return DEFAULTS[name]
    value = user[name]
    if isinstance(value, (str, bool, tuple)) or value is None:
        return value
    return _checked(name, value, lambda: f"settings.INTEGRATION_KIT[{name!r}]")


# A misspelt setting attribute must be this close to a setting's name to be refused, so that
# a test class's own attributes are left alone.
_TYPO_CUTOFF = 0.85


_FRAMEWORKS = ("django", "unittest", "django_integration_kit")


def _is_framework(klass: type) -> bool:
    """Whether ``klass`` is Django's, unittest's or the kit's, whose attributes are not settings."""
    return klass.__module__.split(".")[0] in _FRAMEWORKS


def check_attributes(owner: type) -> None:
    """Refuse a lower-case attribute of the test class ``owner`` (or a base of it that is not
    Django's, unittest's or the kit's) that is a misspelt setting: ``block_netwrok`` would
    otherwise be silently ignored."""
    settings = _ATTRIBUTES.values()
    # Most classes have no plain attribute at all beside their tests: the names of Django's
    # and unittest's classes, which cost more to gather than the rest, are then not needed.
    candidates = [
        (klass, name)
        for klass in owner.__mro__
        if klass is not object and not _is_framework(klass)
        for name, value in vars(klass).items()
        # Tests and other methods go at the first check.
        if not callable(value)
        and not name.startswith("_")
        and name == name.lower()
        and name not in settings
        and not isinstance(value, (property, staticmethod, classmethod))
    ]
    if not candidates:
        return
    frameworks = {name for klass in owner.__mro__ if _is_framework(klass) for name in vars(klass)}
    for klass, name in candidates:
        if name in frameworks:
            continue
        close = difflib.get_close_matches(name, settings, n=1, cutoff=_TYPO_CUTOFF)
        if close:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                f"{klass.__name__}.{name} is not a django-integration-kit setting, so it "
                f"would be ignored. Did you mean {close[0]!r} (the class attribute for "
                f"INTEGRATION_KIT[{close[0].upper()!r}])? Rename it, or rename the "
                "attribute if it is not meant as a setting."
            )


def owner_of(client: object) -> object | None:
    """The test class whose lower-case attributes configure flows run with ``client``."""
    return getattr(client, "kit_owner", None)


_MISSING = object()
