"""The core's speed next to raw Django, in one process, interleaved.

Run: ``python benchmarks/bench_core.py`` (needs the kit and its dependencies installed).
Prints a Markdown table of median milliseconds per operation and the kit/raw ratio.
"""

from __future__ import annotations

import itertools
import platform
import time

from _setup import in_rollback, interleave, row, setup_django

setup_django()

import django  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from django_integration_kit import KitClient, login, login_as, make_user, signup  # noqa: E402
from django_integration_kit._defaults import kit_defaults  # noqa: E402
from django_integration_kit.forms import submit_form  # noqa: E402

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
names = itertools.count()


def main() -> None:
    user = User.objects.create_user("bench", password="Bench-pass-123")

    @in_rollback
    def kit_login_as_get():
        client = KitClient()
        login_as(client, user)
        assert client.get("/dashboard/").status_code == 200

    @in_rollback
    def raw_force_login_get():
        client = Client()
        client.force_login(user)
        assert client.get("/dashboard/").status_code == 200

    @in_rollback
    def kit_signup_login():
        with kit_defaults():
            client = KitClient()
            new = signup(client)
            login(client, new.username, new.raw_password)

    @in_rollback
    def raw_signup_login_md5():
        with override_settings(PASSWORD_HASHERS=MD5):
            client = Client()
            username, password = f"raw{next(names)}", "Str0ng-pass-42!"
            page = client.get("/signup/")
            token = page.context["csrf_token"]
            response = client.post(
                "/signup/",
                {
                    "csrfmiddlewaretoken": str(token),
                    "username": username,
                    "password1": password,
                    "password2": password,
                },
            )
            assert response.status_code == 302
            page = client.get("/login/")
            response = client.post(
                "/login/",
                {
                    "csrfmiddlewaretoken": str(page.context["csrf_token"]),
                    "username": username,
                    "password": password,
                },
            )
            assert response.status_code == 302

    @in_rollback
    def kit_get_submit():
        client = KitClient()
        page = client.get("/contact/")
        assert submit_form(client, page, name="Bob", topic="sales").status_code == 302

    @in_rollback
    def raw_get_post():
        client = Client()
        page = client.get("/contact/")
        data = {
            "csrfmiddlewaretoken": str(page.context["csrf_token"]),
            "source": "contact-page",
            "name": "Bob",
            "topic": "sales",
            "body": "Hello",
        }
        assert client.post("/contact/", data).status_code == 302

    def kit_make_users():
        with kit_defaults():
            for _ in range(100):
                make_user()

    def raw_create_users():
        for _ in range(100):
            User.objects.create_user(f"raw-user-{next(names)}", password=None)

    pbkdf2_make_users = in_rollback(lambda: [make_user() for _ in range(100)])

    results = interleave(
        {
            "kit_login_as_get": kit_login_as_get,
            "raw_force_login_get": raw_force_login_get,
            "kit_signup_login": kit_signup_login,
            "raw_signup_login_md5": raw_signup_login_md5,
            "kit_get_submit": kit_get_submit,
            "raw_get_post": raw_get_post,
            "kit_make_users": in_rollback(kit_make_users),
            "raw_create_users": in_rollback(raw_create_users),
            "pbkdf2_make_users": pbkdf2_make_users,
        },
        rounds=15,
        per_round=20,
        clock=time.process_time,
    )
    print(
        f"Django {django.get_version()}, Python {platform.python_version()}, "
        f"{platform.machine()}, SQLite; CPU time, median of 15 interleaved rounds.\n"
    )
    print("| operation | kit | raw Django | ratio | goal | |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(
        row(
            "login_as + GET vs force_login + GET",
            results["kit_login_as_get"],
            results["raw_force_login_get"],
            1.15,
        )
    )
    print(
        row(
            "signup + login through forms (PBKDF2 project) vs raw with MD5 by hand",
            results["kit_signup_login"],
            results["raw_signup_login_md5"],
            1.3,
        )
    )
    print(
        row(
            "GET + submit_form vs GET + post",
            results["kit_get_submit"],
            results["raw_get_post"],
            1.2,
        )
    )
    print(
        row(
            "100 x make_user vs 100 x create_user(password=None)",
            results["kit_make_users"],
            results["raw_create_users"],
            1.2,
        )
    )
    print(
        row(
            "100 x make_user, PBKDF2 (hash reused) vs create_user(password=None)",
            results["pbkdf2_make_users"],
            results["raw_create_users"],
            1.2,
        )
    )


if __name__ == "__main__":
    main()
