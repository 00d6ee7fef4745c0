"""Every helper of the kit bound to one client: the methods of the test cases and ``kit``."""

from __future__ import annotations

from typing import Any

from django_integration_kit import builders, flows, forms
from django_integration_kit._urls import resolve_url


class KitMethods:
    """The kit's helpers as methods on ``self.client``; mixed into the test cases."""

    client: Any

    @property
    def last_response(self) -> Any:
        """The latest response the client received."""
        return getattr(self.client, "last_response", None)

    def url(self, target: str, *args: Any, **kwargs: Any) -> str:
        """The path of a URL name (strictly resolved) or a literal path."""
        return resolve_url(target, *args, **kwargs)

    def signup(self, *, url: str | None = None, **fields: Any) -> Any:
        return flows.signup(self.client, url=url, **fields)

    def login(self, username: str, password: str, *, url: str | None = None) -> Any:
        return flows.login(self.client, username, password, url=url)

    def login_as(self, user: Any = None, **user_fields: Any) -> Any:
        return flows.login_as(self.client, user, **user_fields)

    def logout(self) -> None:
        flows.logout(self.client)

    def assert_login_required(
        self, target: str, *args: Any, method: str = "get", status: int | None = None, **kwargs: Any
    ) -> None:
        flows.assert_login_required(
            self.client, target, *args, method=method, status=status, **kwargs
        )

    def submit_form(self, response: Any = None, selector: str | None = None, **data: Any) -> Any:
        return forms.submit_form(self.client, response, selector, **data)

    def make_user(self, **fields: Any) -> Any:
        return builders.make_user(**fields)

    def make(self, model: Any, **attrs: Any) -> Any:
        return builders.make(model, **attrs)

    def prepare(self, model: Any, **attrs: Any) -> Any:
        return builders.prepare(model, **attrs)

    def make_recipe(self, name: str, **attrs: Any) -> Any:
        return builders.make_recipe(name, **attrs)


class Kit(KitMethods):
    """The ``kit`` pytest fixture's type: every helper bound to ``client``."""

    def __init__(self, client: Any) -> None:
        self.client = client
