"""assert_pages_ok(): the site crawl, over the small site of testproject/widgets/crawl_pages.py."""

import re

import pytest
from django.test import AsyncClient, Client, override_settings

from django_integration_kit import IntegrationTestCase, login_as
from django_integration_kit.crawl import CrawledPage, assert_pages_ok

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_hasher")]

# The small site has a login page of its own, so a crawl of it stays inside it.
small_site = override_settings(LOGIN_URL="/widgets/crawl/sign-in/")
BROKEN = ["/widgets/crawl/missing/", "/widgets/crawl/broken/", "/widgets/crawl/private/"]


def failure(call, *args, **kwargs):
    with pytest.raises(AssertionError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


@small_site
def test_the_crawl_visits_links_get_forms_and_redirects_and_returns_a_summary():
    summary = assert_pages_ok(Client(), "/widgets/crawl/", exclude=BROKEN)

    assert summary.statuses == {
        "/widgets/crawl/": 200,
        "/widgets/crawl/ok/": 200,
        "/widgets/crawl/queries/": 200,
        "/widgets/crawl/moved/": 302,
        "/widgets/crawl/away/": 302,
        "/widgets/crawl/members/": 302,
        "/widgets/crawl/staff/": 302,
        "/widgets/crawl/file.json": 200,
        "/widgets/crawl/search/?q=tea&go=1": 200,  # the GET form, with its default values
        "/widgets/crawl/landing/": 200,  # where /moved/ redirects
        "/widgets/crawl/sign-in/": 200,  # the login page, once, whatever ?next= led there
    }
    assert summary.complete
    assert summary.problems == []
    assert str(summary) == (
        "Visited 11 pages from /widgets/crawl/ as an anonymous user: 7 answered 200, 4 "
        "answered 302.\n"
        "Skipped 8 URLs: another site (2), excluded (3), logout (1), not a page (1), static "
        "file (1)."
    )


@small_site
def test_the_crawl_never_leaves_the_site_logs_out_or_posts():
    summary = assert_pages_ok(Client(), "/widgets/crawl/", exclude=BROKEN)

    assert summary.skipped == {
        "/widgets/crawl/missing/": "excluded",
        "/widgets/crawl/broken/": "excluded",
        "/widgets/crawl/private/": "excluded",
        "https://elsewhere.example/": "another site",
        "mailto:team@example.com": "not a page",
        "/logout/": "logout",
        "/static/widgets/notes.js": "static file",
        "https://elsewhere.example/moved/": "another site",  # where /away/ redirects
    }
    assert "/widgets/crawl/post-only/" not in summary.statuses
    assert summary.pages[9] == CrawledPage(
        path="/widgets/crawl/landing/",
        status=200,
        queries=0,
        found_on="/widgets/crawl/moved/",
        how="redirect",
    )
    assert summary.pages[9].source == "redirected from /widgets/crawl/moved/"


@small_site
def test_broken_pages_fail_the_crawl_with_the_page_that_linked_them():
    assert failure(assert_pages_ok, Client(), "/widgets/crawl/") == (
        "The crawl from /widgets/crawl/ as an anonymous user found 3 problems on the 15 pages "
        "it visited:\n"
        "  GET /widgets/crawl/missing/ answered 404 (linked from /widgets/crawl/)\n"
        "  GET /widgets/crawl/broken/ raised ValueError: the template forgot a variable "
        "(linked from /widgets/crawl/)\n"
        "  GET /widgets/crawl/private/secret/ answered 404 (linked from /widgets/crawl/private/)\n"
        "Fix these pages, or pass exclude= the paths the crawl should skip."
    )


@small_site
def test_exclude_takes_prefixes_and_patterns():
    summary = assert_pages_ok(
        Client(),
        "/widgets/crawl/",
        exclude=["/widgets/crawl/private/", re.compile(r"/(missing|broken)/$")],
    )

    assert [path for path, why in summary.skipped.items() if why == "excluded"] == [
        "/widgets/crawl/missing/",
        "/widgets/crawl/broken/",
        "/widgets/crawl/private/",
    ]
    with pytest.raises(TypeError) as bad:
        assert_pages_ok(Client(), "/widgets/crawl/", exclude=[42])
    assert str(bad.value) == (
        "exclude= takes path prefixes (strings) and compiled re.Patterns, not 42."
    )


@small_site
def test_a_logged_in_user_sent_to_the_login_page_is_a_problem():
    client = Client()
    login_as(client, username="ana")

    assert failure(assert_pages_ok, client, "/widgets/crawl/", exclude=BROKEN) == (
        "The crawl from /widgets/crawl/ as user 'ana' found a problem on the 11 pages it "
        "visited:\n"
        "  GET /widgets/crawl/staff/ sent user 'ana' to the login page "
        "/widgets/crawl/sign-in/?next=/widgets/crawl/staff/ (linked from /widgets/crawl/): a "
        "permission the user lacks? Give it, or exclude= the page.\n"
        "Fix these pages, or pass exclude= the paths the crawl should skip."
    )
    summary = assert_pages_ok(
        client, "/widgets/crawl/", exclude=[*BROKEN, "/widgets/crawl/staff/"]
    )
    assert summary.statuses["/widgets/crawl/members/"] == 200


@small_site
def test_pages_over_max_queries_fail_the_crawl():
    assert failure(
        assert_pages_ok, Client(), "/widgets/crawl/", exclude=BROKEN, max_queries=2
    ) == (
        "The crawl from /widgets/crawl/ as an anonymous user found a problem on the 11 pages it "
        "visited:\n"
        "  GET /widgets/crawl/queries/ ran 3 queries, more than max_queries=2 (linked from "
        "/widgets/crawl/)\n"
        "Fix these pages, or pass exclude= the paths the crawl should skip."
    )
    assert assert_pages_ok(Client(), "/widgets/crawl/", exclude=BROKEN, max_queries=3).complete


def test_max_pages_stops_the_crawl_and_says_so_in_the_summary():
    summary = assert_pages_ok(Client(), "/widgets/crawl/chain/1/", max_pages=3)

    assert list(summary.statuses) == [f"/widgets/crawl/chain/{n}/" for n in (1, 2, 3)]
    assert not summary.complete
    assert summary.unvisited == ["/widgets/crawl/chain/4/"]
    assert str(summary) == (
        "Visited 3 pages from /widgets/crawl/chain/1/ as an anonymous user: 3 answered 200.\n"
        "Stopped at max_pages=3 with 1 page left (/widgets/crawl/chain/4/); pass a higher "
        "max_pages= to visit them."
    )


def test_a_long_list_of_problems_is_capped_and_a_stopped_crawl_says_so():
    message = failure(assert_pages_ok, Client(), "/widgets/crawl/many-missing/", max_pages=34)

    lines = message.splitlines()
    assert lines[0] == (
        "The crawl from /widgets/crawl/many-missing/ as an anonymous user found 33 problems on "
        "the 34 pages it visited:"
    )
    assert lines[30:] == [
        "  GET /widgets/crawl/many-missing/gone-29/ answered 404 (linked from "
        "/widgets/crawl/many-missing/)",
        "  … and 3 more",
        "Fix these pages, or pass exclude= the paths the crawl should skip.",
        "Stopped at max_pages=34 with 2 pages left (/widgets/crawl/many-missing/gone-33/, "
        "/widgets/crawl/many-missing/gone-34/); pass a higher max_pages= to visit them.",
    ]


def test_start_takes_url_names_and_several_pages():
    summary = assert_pages_ok(
        Client(), ["widgets_crawl_landing", "/widgets/crawl/ok/"], max_pages=3
    )

    assert summary.statuses == {
        "/widgets/crawl/landing/": 200,
        "/widgets/crawl/ok/": 200,
        "/widgets/crawl/": 200,
    }
    assert [page.source for page in summary.pages] == [
        "a start page",
        "a start page",
        "linked from /widgets/crawl/ok/",
    ]


class CrawlInATestCaseTests(IntegrationTestCase):
    def test_a_database_error_of_one_page_leaves_the_others_working(self):
        with pytest.raises(AssertionError) as caught:
            assert_pages_ok(self.client, ["/widgets/crawl/db-error/", "/widgets/crawl/queries/"])

        first, problem, fix = str(caught.value).splitlines()
        assert first == (
            "The crawl from /widgets/crawl/db-error/, /widgets/crawl/queries/ as an anonymous "
            "user found a problem on the 2 pages it visited:"
        )
        # Each database words the error its own way (SQLite: "no such table: no_such_table").
        assert problem.startswith("  GET /widgets/crawl/db-error/ raised ")
        assert problem.endswith(" (a start page)")
        assert fix == "Fix these pages, or pass exclude= the paths the crawl should skip."

    def test_the_pages_after_a_database_error_still_answer(self):
        from django_integration_kit.crawl import _request

        _request(self.client, "/widgets/crawl/db-error/")
        summary = assert_pages_ok(self.client, "/widgets/crawl/queries/")

        assert summary.pages == [CrawledPage("/widgets/crawl/queries/", 200, 3)]

    def test_the_kit_client_crawls_as_its_user(self):
        self.login_as(username="noor")

        summary = assert_pages_ok(self.client, "/widgets/crawl/members/")

        assert summary.statuses == {"/widgets/crawl/members/": 200}
        assert summary.user == "user 'noor'"


def test_the_crawl_needs_a_sync_test_client_and_a_page_budget():
    with pytest.raises(TypeError) as async_client:
        assert_pages_ok(AsyncClient())
    with pytest.raises(TypeError) as not_a_client:
        assert_pages_ok(object())
    with pytest.raises(ValueError) as no_pages:
        assert_pages_ok(Client(), max_pages=0)

    assert str(async_client.value) == (
        "assert_pages_ok() needs a sync test client (django.test.Client, the kit's KitClient), "
        "not an AsyncClient: crawl with Client(), logged in with login_as() as the user the "
        "async client has."
    )
    assert str(not_a_client.value) == (
        "assert_pages_ok() needs a Django test client, not object; in a BrowserTestCase, crawl "
        "with self.client (log it in with login_as(self.client))."
    )
    assert str(no_pages.value) == "max_pages= must be 1 or more, not 0."
