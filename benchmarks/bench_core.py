"""The core's speed next to raw Django, in one process, interleaved.

Run: ``python benchmarks/bench_core.py`` (needs the kit and its dependencies installed);
``--only forms`` runs only the two rows through forms (GET + submit_form, signup + login).

Each row is a pair, kit and raw, run back to back in every round, in turn first and second so
that neither always runs after the other's cache misses; a round's ratio is kit / raw of that
round, and the table gives the median per operation and the median of the rounds' ratios (CPU
time of this process, which other processes on a busy machine blur less than wall time).
Prints a Markdown table, then the two form rows' ratios on lines of their own.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

from _setup import in_rollback, setup_django

setup_django()

import django  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from django_integration_kit import KitClient, login, login_as, make_user, signup  # noqa: E402
from django_integration_kit._defaults import kit_defaults  # noqa: E402
from django_integration_kit.forms import submit_form  # noqa: E402

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
names = itertools.count()


def main(args: argparse.Namespace) -> None:
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

    rows = [
        ("login_as + GET vs force_login + GET", kit_login_as_get, raw_force_login_get, 1.15),
        (
            "signup + login through forms (PBKDF2 project) vs raw with MD5 by hand",
            kit_signup_login,
            raw_signup_login_md5,
            1.15,
        ),
        ("GET + submit_form vs GET + post", kit_get_submit, raw_get_post, 1.10),
        (
            "100 x make_user vs 100 x create_user(password=None)",
            in_rollback(kit_make_users),
            in_rollback(raw_create_users),
            1.2,
        ),
        (
            "100 x make_user, PBKDF2 (hash reused) vs create_user(password=None)",
            pbkdf2_make_users,
            in_rollback(raw_create_users),
            1.2,
        ),
    ]
    if args.only == "forms":
        rows = [row for row in rows if row[0] in FORM_ROWS.values()]
    load = os.getloadavg()[0]
    results = paired(
        {label: (kit, raw) for label, kit, raw, _ in rows}, args.rounds, args.per_round
    )
    print(
        f"Django {django.get_version()}, Python {platform.python_version()}, "
        f"{platform.machine()}, SQLite; CPU time, {args.rounds} rounds, kit and raw in turn "
        f"first; load average {load:.1f} before, {os.getloadavg()[0]:.1f} after, on "
        f"{os.cpu_count()} cores.\n"
    )
    print("| operation | kit | raw Django | ratio (median of rounds) | goal | |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, _, _, goal in rows:
        kit, raw, ratio = results[label]
        verdict = "ok" if ratio <= goal else "over goal"
        print(
            f"| {label} | {kit * 1e3:.3f} ms | {raw * 1e3:.3f} ms | {ratio:.2f}x | "
            f"<= {goal:.2f}x | {verdict} |"
        )
    print()
    for short, label in FORM_ROWS.items():
        goal = next(goal for row_label, _, _, goal in rows if row_label == label)
        print(f"{short}: {results[label][2]:.3f}x raw Django in CPU time (goal <= {goal:.2f}x)")


FORM_ROWS = {
    "GET + submit_form": "GET + submit_form vs GET + post",
    "signup + login": "signup + login through forms (PBKDF2 project) vs raw with MD5 by hand",
}


def paired(
    pairs: dict[str, tuple[Callable[[], None], Callable[[], None]]], rounds: int, per_round: int
) -> dict[str, tuple[float, float, float]]:
    """For each pair: the median CPU seconds per call of kit and raw, and the median of the
    rounds' kit / raw ratios. Each round runs kit then raw, or raw then kit, alternately, each
    call under its own number of extra frames (see :func:`_at_depth`)."""
    samples: dict[str, list[tuple[float, float]]] = {label: [] for label in pairs}
    for number in range(rounds):
        for label, (kit, raw) in pairs.items():
            order = (kit, raw) if number % 2 == 0 else (raw, kit)
            took = {}
            for case in order:
                spent = sum(_at_depth(call % DEPTHS, case) for call in range(per_round))
                took[case] = spent / per_round
            samples[label].append((took[kit], took[raw]))
    return {
        label: (
            statistics.median(kit for kit, _ in values),
            statistics.median(raw for _, raw in values),
            statistics.median(kit / raw for kit, raw in values),
        )
        for label, values in samples.items()
    }


# CPython 3.12 keeps frames in 16 KiB chunks and frees a chunk as soon as the stack shrinks out
# of it, so a request whose deep calls (template rendering) go back and forth over a chunk's end
# maps and unmaps a chunk, a page fault each time, up to hundreds of times a request. Whether a
# case does depends on how deep the caller's stack is, not on the case: at this script's own
# depth, signup + login through the kit did (50 faults an operation) and raw Django did not
# (under 1); a few frames deeper, the other way round. So each call runs under 0 to 15 extra
# frames of about 1 KiB (DEPTHS positions across a chunk), the same for kit and raw.
DEPTHS = 16
_NAMES = ", ".join(f"v{i}" for i in range(60))
_FRAME = f"""
def frame(depth, case):
    {_NAMES} = (0,) * 60  # 60 locals and 60 stack slots: a frame of about 1 KiB
    return frame(depth - 1, case) if depth else _timed(case)
"""


def _timed(case: Callable[[], None]) -> float:
    start = time.process_time()
    case()
    return time.process_time() - start


_frames: dict[str, Any] = {"_timed": _timed}
exec(_FRAME, _frames)  # noqa: S102 - a function with a frame of a chosen size


def _at_depth(depth: int, case: Callable[[], None]) -> float:
    """The CPU seconds ``case`` takes when called under ``depth`` frames of about 1 KiB."""
    return _frames["frame"](depth, case)  # type: ignore[no-any-return]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["forms"], help="run only the rows through forms")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--per-round", type=int, default=DEPTHS)
    args = parser.parse_args()
    main(args)
