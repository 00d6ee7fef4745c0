"""Short, fast, trustworthy Django integration tests."""

from django_integration_kit.assertions import submit_form
from django_integration_kit.builders import make, make_recipe, make_user, prepare
from django_integration_kit.client import AsyncKitClient, KitClient
from django_integration_kit.flows import (
    assert_login_required,
    login,
    login_as,
    logout,
    signup,
)
from django_integration_kit.kit import Kit
from django_integration_kit.testcases import IntegrationTestCase, IntegrationTransactionTestCase

__all__ = [
    "AsyncKitClient",
    "IntegrationTestCase",
    "IntegrationTransactionTestCase",
    "Kit",
    "KitClient",
    "assert_login_required",
    "login",
    "login_as",
    "logout",
    "make",
    "make_recipe",
    "make_user",
    "prepare",
    "signup",
    "submit_form",
]
