"""The core's cost next to raw Django in CPU instructions, which a busy machine cannot blur.

Run: ``python benchmarks/instructions.py`` (needs valgrind); ``--only forms`` runs only the two
rows through forms (signup + login, GET + submit_form). Each case runs under callgrind twice,
with few and with many repetitions; the difference divided by the extra repetitions is its cost
per operation, free of start-up. Prints a Markdown table with the kit/raw ratio, then the two
form rows' ratios on lines of their own.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from _setup import in_rollback, setup_django

FEW, MANY = 2, 12
PASSWORD = "Str0ng-pass-42!"
_names = itertools.count()


def _cases() -> dict[str, object]:
    from django.contrib.auth.models import User
    from django.test import Client

    from django_integration_kit import KitClient, login, login_as, signup, submit_form

    # No password: hashing one with PBKDF2 under callgrind would take minutes.
    user = User.objects.create_user("instructions")

    def kit_login_as_get() -> None:
        client = KitClient()
        login_as(client, user)
        client.get("/dashboard/")

    def raw_force_login_get() -> None:
        client = Client()
        client.force_login(user)
        client.get("/dashboard/")

    def kit_signup_login() -> None:
        client = KitClient()
        new = signup(client)
        login(client, new.username, new.raw_password)

    def raw_signup_login() -> None:
        client, name = Client(), f"raw{next(_names)}"
        page = client.get("/signup/")
        token = str(page.context["csrf_token"])
        data = {"username": name, "password1": PASSWORD, "password2": PASSWORD}
        client.post("/signup/", {"csrfmiddlewaretoken": token, **data})
        page = client.get("/login/")
        token = str(page.context["csrf_token"])
        data = {"username": name, "password": PASSWORD}
        client.post("/login/", {"csrfmiddlewaretoken": token, **data})

    def kit_get_submit() -> None:
        client = KitClient()
        page = client.get("/contact/")
        submit_form(client, page, "#contact", name="Bob")

    def raw_get_post() -> None:
        client = Client()
        page = client.get("/contact/")
        token = str(page.context["csrf_token"])
        data = {"source": "contact-page", "name": "Bob", "topic": "help", "body": "Hello"}
        client.post("/contact/", {"csrfmiddlewaretoken": token, **data})

    return {name: in_rollback(func) for name, func in locals().items() if callable(func)}


ROWS = [
    ("login_as + GET vs force_login + GET", "kit_login_as_get", "raw_force_login_get"),
    ("signup + login through forms (MD5 both)", "kit_signup_login", "raw_signup_login"),
    ("GET + submit_form vs GET + post", "kit_get_submit", "raw_get_post"),
]
FORM_ROWS = {"signup + login": ROWS[1][0], "GET + submit_form": ROWS[2][0]}


def _run_case(name: str, times: int) -> None:
    from django_integration_kit._defaults import fast_password_hasher

    setup_django()
    case = _cases()[name]
    with fast_password_hasher():
        for _ in range(times):
            case()  # type: ignore[operator]


def _instructions(name: str, times: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
             __file__, "--case", name, str(times)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    return int(re.search(r"Collected : (\d+)", result.stderr).group(1))  # type: ignore[union-attr]


def main(only: str | None) -> None:
    rows = [row for row in ROWS if only is None or row[0] in FORM_ROWS.values()]
    print("| operation | kit | raw Django | ratio |")
    print("| --- | --- | --- | --- |")
    ratios = {}
    for label, kit, raw in rows:
        per_op = {
            name: (_instructions(name, MANY) - _instructions(name, FEW)) / (MANY - FEW)
            for name in (kit, raw)
        }
        ratios[label] = per_op[kit] / per_op[raw]
        print(
            f"| {label} | {per_op[kit] / 1e6:.2f} M instr | {per_op[raw] / 1e6:.2f} M instr | "
            f"{ratios[label]:.2f}x |",
            flush=True,
        )
    print()
    for short, label in FORM_ROWS.items():
        if label in ratios:
            print(f"{short}: {ratios[label]:.3f}x raw Django in instructions")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--case"]:
        _run_case(sys.argv[2], int(sys.argv[3]))
    else:
        main("forms" if sys.argv[1:] == ["--only", "forms"] else None)
