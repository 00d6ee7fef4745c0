"""Test data: users with working passwords, and model-bakery's builders."""

from __future__ import annotations

import itertools
import secrets
from typing import TYPE_CHECKING, Any, TypeVar

from django_integration_kit import _frames
from django_integration_kit._fixtures import load_fixture as load_fixture

if TYPE_CHECKING:
    from django.db.models import Model

_frames.hide(globals())

M = TypeVar("M", bound="Model")

DEFAULT_PASSWORD = f"Kit-{secrets.token_urlsafe(9)}-4w!"
_PROCESS_TAG = secrets.token_hex(2)
_numbers = itertools.count(1)
_hashes: dict[tuple[str, str], str] = {}


def unique_username() -> str:
    """A username no other call in this process returns."""
    return f"user{next(_numbers)}{_PROCESS_TAG}"


def unique_email() -> str:
    """An address under example.com that no other call in this process returns."""
    return f"{unique_username()}@example.com"


def password_hash(raw_password: str) -> str:
    """``make_password(raw_password)``, computed once per process and hasher, then reused."""
    from django.contrib.auth.hashers import get_hasher, make_password

    hasher = get_hasher("default")
    key = (raw_password, f"{type(hasher).__module__}.{type(hasher).__qualname__}")
    encoded = _hashes.get(key)
    if encoded is None:
        encoded = _hashes[key] = make_password(raw_password, hasher=hasher)
    return encoded


def make_user(**fields: Any) -> Any:
    """Create a user of the project's user model; its password is at ``user.raw_password``.

    Required fields left out get unique values; ``password=None`` makes an unusable password.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import models
    from model_bakery import baker

    if "_quantity" in fields:
        quantity = fields["_quantity"]
        raise TypeError(
            f"make_user() makes one user, so it takes no _quantity= (got {quantity!r}): each "
            "user needs its own username. Make several in a loop: "
            f"users = [make_user() for _ in range({quantity})]."
        )
    user_model = get_user_model()
    raw_password = fields.pop("password", DEFAULT_PASSWORD)
    if raw_password is not None and not isinstance(raw_password, str):
        raise TypeError(
            "make_user() takes password= a str (or None for an unusable password), not "
            f"{type(raw_password).__name__}."
        )
    username_field = user_model.USERNAME_FIELD
    if username_field not in fields:
        is_email = isinstance(user_model._meta.get_field(username_field), models.EmailField)
        fields[username_field] = unique_email() if is_email else unique_username()
    if username_field != "email" and "email" not in fields and _has_field(user_model, "email"):
        fields["email"] = unique_email()
    encoded = make_password(None) if raw_password is None else password_hash(raw_password)
    user = baker.make(user_model, password=encoded, **fields)
    user.raw_password = raw_password
    return user


def _has_field(model: type[Model], name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


def make(model: type[M] | str, **attrs: Any) -> Any:
    """``model_bakery.baker.make``: save instances of ``model`` with ``attrs``."""
    from model_bakery import baker

    return baker.make(model, **attrs)


def prepare(model: type[M] | str, **attrs: Any) -> Any:
    """``model_bakery.baker.prepare``: build unsaved instances of ``model``."""
    from model_bakery import baker

    return baker.prepare(model, **attrs)


def make_recipe(name: str, **attrs: Any) -> Any:
    """``model_bakery.baker.make_recipe``: save instances from the recipe ``name``."""
    from model_bakery import baker

    return baker.make_recipe(name, **attrs)  # type: ignore[no-untyped-call]
