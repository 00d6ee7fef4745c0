"""What the story costs a passing assertion: Django's ``assertContains`` and ``assertRedirects``
next to the same calls on ``IntegrationTestCase`` and the kit's functions.

Run from the repository root: ``python benchmarks/bench_assertions.py``. The kit only wraps
Django's assertion in a ``try`` and builds the story when it fails, so a passing call should
cost what Django's does; the ratio printed is kit / Django, medians of interleaved rounds of
CPU time.
"""

from __future__ import annotations

import time

from _setup import interleave, setup_django

ROUNDS = 31
PER_ROUND = 2000


def main() -> None:
    setup_django()
    from django.test import Client, SimpleTestCase

    from django_integration_kit import IntegrationTestCase, assert_contains, assert_redirects

    class Bench(IntegrationTestCase):
        def test_nothing(self) -> None:
            pass

    django, kit = SimpleTestCase("run"), Bench("test_nothing")
    client = Client()
    page = client.get("/")
    redirect = client.get("/dashboard/")
    target = "/login/?next=/dashboard/"
    groups = {
        "assertContains(page, 'Home')": {
            "Django": lambda: django.assertContains(page, "Home"),
            "IntegrationTestCase": lambda: kit.assertContains(page, "Home"),
            "assert_contains()": lambda: assert_contains(page, "Home"),
        },
        "assertRedirects(response, url, fetch_redirect_response=False)": {
            "Django": lambda: django.assertRedirects(
                redirect, target, fetch_redirect_response=False
            ),
            "IntegrationTestCase": lambda: kit.assertRedirects(
                redirect, target, fetch_redirect_response=False
            ),
            "assert_redirects()": lambda: assert_redirects(
                redirect, target, fetch_redirect_response=False
            ),
        },
    }
    print("| passing call | Django | kit | kit / Django |")
    print("| --- | --- | --- | --- |")
    for label, cases in groups.items():
        medians = interleave(cases, ROUNDS, PER_ROUND, clock=time.process_time)
        raw = medians.pop("Django")
        for name, seconds in medians.items():
            print(
                f"| {label}, {name} | {raw * 1e6:.1f} µs | {seconds * 1e6:.1f} µs | "
                f"{seconds / raw:.3f}x |"
            )


if __name__ == "__main__":
    main()
