"""follow(), assert_html() and texts_of(): links clicked like a user, elements read by CSS."""

import re

import pytest
from django.http import HttpResponse
from django.test import AsyncClient, Client

from django_integration_kit import IntegrationTestCase, KitClient
from django_integration_kit.browser import BrowserTestCase
from django_integration_kit.pages import assert_html, follow, texts_of, visible_text

pytestmark = pytest.mark.django_db


def page(body, path="/page/", content_type="text/html; charset=utf-8"):
    """A response as the test client returns one, for HTML that no view of the project has."""
    response = HttpResponse(body, content_type=content_type)
    response.request = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": ""}
    return response


def failure(call, *args, **kwargs):
    with pytest.raises(AssertionError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


LINKS_PAGE_LINKS = """  'Home' -> /
  'Log in' -> /login/
  'Sign up' -> /signup/
  'Next page' -> /widgets/links/?page=2
  'Buttons' -> /widgets/buttons/
  'Books' -> /widgets/books/
  'Shop' -> /catalog/
  'Edit' -> /widgets/buttons/
  'Edit' -> /widgets/locked/
  'Django docs' -> https://docs.djangoproject.com/
  'Back to top' -> #top
  'Print' -> javascript:window.print()
  'Write to us' -> mailto:team@example.com"""


# follow()


class FollowTests(IntegrationTestCase):
    def test_the_test_case_follows_reads_and_crawls_with_its_client(self):
        self.client.get("/widgets/links/")

        page = self.follow(text="Books")

        assert page.wsgi_request.path == "/widgets/books/"
        assert self.texts_of(page, "title") == self.assert_html(page, "title") == ["Books"]
        assert self.assert_pages_ok("contact", max_pages=1).pages[0].path == "/contact/"

    def test_follow_clicks_the_link_with_this_text(self):
        self.client.get("/widgets/links/")

        response = follow(self.client, text="Books")

        assert response.status_code == 200
        assert response.wsgi_request.path == "/widgets/books/"
        assert self.last_response is response

    def test_follow_reads_links_on_a_response_of_any_client(self):
        client = Client()

        response = follow(client, client.get("/widgets/links/"), text="Next page")

        assert response.wsgi_request.get_full_path() == "/widgets/links/?page=2"

    def test_a_link_is_found_by_its_text_a_selector_or_its_href(self):
        links = self.client.get("/widgets/links/")

        by_pattern = follow(self.client, links, text=re.compile(r"^Next"))
        inside_nav = follow(self.client, links, selector="nav.pages", text="Buttons")
        by_selector = follow(self.client, links, selector="a.books")
        by_relative_href = follow(self.client, links, href="../buttons/")
        by_image_alt = follow(
            self.client, links, selector="ul.products", text="Edit", href="/widgets/buttons/"
        )

        assert by_pattern.wsgi_request.get_full_path() == "/widgets/links/?page=2"
        assert inside_nav.wsgi_request.path == "/widgets/buttons/"
        assert by_selector.wsgi_request.path == "/widgets/books/"
        assert by_relative_href.wsgi_request.path == "/widgets/buttons/"
        assert by_image_alt.wsgi_request.path == "/widgets/buttons/"

    def test_links_that_lead_to_one_place_count_as_one(self):
        self.client.get("/widgets/links/")

        response = follow(self.client, text="Shop")

        assert response.wsgi_request.path == "/catalog/"

    def test_follow_does_not_follow_redirects(self):
        self.client.get("/")

        response = follow(self.client, text="Log in")
        guarded = follow(
            self.client, page('<a href="/dashboard/">Dashboard</a>'), text="Dashboard"
        )

        assert response.status_code == 200
        self.assertRedirects(guarded, "/login/?next=/dashboard/")

    async def test_follow_with_the_async_client_is_awaited(self):
        client = self.async_client
        await client.get("/widgets/links/")

        response = await follow(client, text="Books")

        assert response.asgi_request.path == "/widgets/books/"


def test_a_link_no_one_has_fails_listing_the_page_links():
    client = Client()
    links = client.get("/widgets/links/")

    message = failure(follow, client, links, text="Sign out")

    assert message == (
        "No link with the text 'Sign out' on GET /widgets/links/; its links are:\n"
        + LINKS_PAGE_LINKS
    )


def test_links_to_different_places_fail_asking_for_more():
    client = Client()
    links = client.get("/widgets/links/")

    assert failure(follow, client, links, text="Edit") == (
        "2 links with the text 'Edit' on GET /widgets/links/ lead to different places; pass "
        "selector= or href= as well to name one:\n"
        "  'Edit' -> /widgets/buttons/\n"
        "  'Edit' -> /widgets/locked/"
    )
    assert failure(follow, client, links, selector="nav.pages", href="/nowhere/") == (
        "No link matching 'nav.pages' to '/nowhere/' on GET /widgets/links/; its links are:\n"
        + LINKS_PAGE_LINKS
    )


def test_links_follow_cannot_click_fail_saying_why():
    client = Client()
    links = client.get("/widgets/links/")

    assert failure(follow, client, links, text="Django docs") == (
        "The link 'Django docs' on GET /widgets/links/ leads to another site "
        "(https://docs.djangoproject.com/); the kit does not leave the site under test. Check "
        "the link with assert_html(response, 'a[href=\"https://docs.djangoproject.com/\"]') "
        "instead."
    )
    assert failure(follow, client, links, text="Back to top") == (
        "The link 'Back to top' on GET /widgets/links/ goes to '#top', a place on the same "
        "page, so following it loads nothing; check that part of the page with assert_html()."
    )
    assert failure(follow, client, links, text="Print") == (
        "The link 'Print' on GET /widgets/links/ runs JavaScript ('javascript:window.print()'), "
        "which follow() cannot run; click it in a BrowserTestCase with self.page.click()."
    )
    assert failure(follow, client, links, text="Write to us") == (
        "The link 'Write to us' on GET /widgets/links/ opens 'mailto:team@example.com', not a "
        "page of the site; check its href with assert_html() instead."
    )


def test_a_link_to_this_host_by_its_full_url_is_followed():
    client = Client()

    response = follow(
        client, page('<a href="http://testserver/search/?q=tea">Tea</a>'), text="Tea"
    )

    assert response.wsgi_request.get_full_path() == "/search/?q=tea"


def test_the_listing_of_links_is_capped():
    many = "".join(f'<a href="/item/{n}/">Item {n}</a>' for n in range(25))

    message = failure(follow, Client(), page(many), text="Item 99")

    assert message.splitlines()[-2:] == ["  'Item 19' -> /item/19/", "  … and 5 more"]
    assert len(message.splitlines()) == 22


def test_a_page_without_links_says_so():
    assert failure(follow, Client(), page("<p>Hi</p>"), text="Home") == (
        "No link with the text 'Home' on GET /page/: the page has no links (<a href>)."
    )


def test_follow_needs_a_way_to_find_the_link_and_a_page():
    with pytest.raises(TypeError) as no_criteria:
        follow(Client(), page("<a href='/'>Home</a>"))
    with pytest.raises(TypeError) as no_page:
        follow(Client(), text="Home")

    assert str(no_criteria.value) == (
        "follow() needs text=, selector= or href= to find the link a user would click."
    )
    assert str(no_page.value) == (
        "follow() needs a response: pass response=, or use the kit's client "
        "(IntegrationTestCase.client, the kit_client fixture), which remembers its last one."
    )


def test_follow_fails_on_an_invalid_selector_and_a_page_that_is_no_html():
    assert failure(follow, Client(), page("<a href='/'>Home</a>"), selector="nav[") == (
        "Selector 'nav[' is not valid CSS: Can't parse CSS selector; pass a CSS selector such "
        "as 'nav a' or 'a.next'."
    )
    assert failure(follow, Client(), page("{}", "/api/", "application/json"), text="Home") == (
        "GET /api/ answered application/json, not an HTML page; follow() reads HTML, so check "
        "this response another way."
    )


# assert_html() and texts_of()

MESSAGES_PAGE = page(
    """<!doctype html><title>Saved</title>
    <header><a href="/">Home</a></header>
    <main>
      <ul class="messages">
        <li class="success">Your   note was saved.</li>
        <li class="info">You have <b>3</b> notes.</li>
      </ul>
      <table class="notes">
        <tr data-id="1"><td>Milk</td><td class="done">yes</td></tr>
        <tr data-id="2" hidden><td>Bread</td><td class="done">no</td></tr>
      </table>
      <p><input name="q" disabled><script>var x = "not text";</script></p>
    </main>""",
    "/notes/",
)


def test_assert_html_returns_the_texts_of_what_matched():
    assert assert_html(MESSAGES_PAGE, "ul.messages li") == [
        "Your note was saved.",
        "You have 3 notes.",
    ]
    assert assert_html(MESSAGES_PAGE, "ul.messages li", text="saved") == ["Your note was saved."]
    assert assert_html(MESSAGES_PAGE, "li", text=re.compile(r"\d notes")) == ["You have 3 notes."]
    assert assert_html(MESSAGES_PAGE, "li", exact_text="You have 3 notes.", count=1) == [
        "You have 3 notes."
    ]
    assert assert_html(MESSAGES_PAGE, "table.notes tr", count=2) == ["Milk yes", "Bread no"]


def test_attrs_narrow_the_matches_by_value_pattern_presence_or_absence():
    assert assert_html(MESSAGES_PAGE, "tr", attrs={"data-id": "2"}) == ["Bread no"]
    assert assert_html(MESSAGES_PAGE, "tr", attrs={"hidden": False}) == ["Milk yes"]
    assert assert_html(MESSAGES_PAGE, "input", attrs={"name": "q", "disabled": True}) == [""]
    assert assert_html(MESSAGES_PAGE, "li", attrs={"class": re.compile("^succ")}, count=1) == [
        "Your note was saved."
    ]


def test_count_zero_asserts_that_nothing_matches():
    assert assert_html(MESSAGES_PAGE, "ul.errorlist li", count=0) == []
    assert assert_html(MESSAGES_PAGE, "li", text="deleted", count=0) == []


def test_no_match_shows_the_nearest_part_of_the_page_that_exists():
    assert failure(assert_html, MESSAGES_PAGE, "ul.messages li.error") == (
        "No element matches 'ul.messages li.error' on GET /notes/. The nearest part of the page "
        "that exists, 'ul.messages':\n"
        '  <ul class="messages">\n'
        '    <li class="success">Your note was saved.</li>\n'
        '    <li class="info">You have <b>3</b> notes.</li>\n'
        "  </ul>"
    )
    assert failure(assert_html, MESSAGES_PAGE, "table.notes tr > th", count=2) == (
        "No element matches 'table.notes tr > th' on GET /notes/, expected 2. The nearest part of "
        "the page that exists, 'table.notes tr' (the first of 2):\n"
        '  <tr data-id="1"><td>Milk</td><td class="done">yes</td></tr>'
    )


def test_no_match_at_all_shows_the_page_main_content():
    small = page("<header>Site</header><main><h1>Hello</h1></main>", "/hello/")

    assert failure(assert_html, small, "ul.errorlist li") == (
        "No element matches 'ul.errorlist li' on GET /hello/, nor does 'ul.errorlist'. The "
        "page's <main>:\n"
        "  <main><h1>Hello</h1></main>"
    )
    assert failure(assert_html, page("<p>Hi</p>", "/hi/"), "#missing") == (
        "No element matches '#missing' on GET /hi/. The page's <body>:\n  <body><p>Hi</p></body>"
    )


def test_a_text_mismatch_shows_the_matched_elements():
    assert failure(assert_html, MESSAGES_PAGE, "ul.messages li", text="deleted") == (
        "2 elements match 'ul.messages li' on GET /notes/, but none of them has the text "
        "'deleted'; they are:\n"
        '  <li class="success">Your note was saved.</li>\n'
        '  <li class="info">You have <b>3</b> notes.</li>'
    )
    assert failure(
        assert_html, MESSAGES_PAGE, "title", exact_text="Save", attrs={"lang": True}
    ) == (
        "1 element matches 'title' on GET /notes/, but it does not have exactly the text 'Save' "
        "and the attributes lang; it is:\n"
        "  <title>Saved</title>"
    )


def test_a_count_mismatch_shows_what_matched():
    assert failure(assert_html, MESSAGES_PAGE, "td.done", count=1) == (
        "2 elements match 'td.done' on GET /notes/, expected 1; they are:\n"
        '  <td class="done">yes</td>\n'
        '  <td class="done">no</td>'
    )
    assert failure(assert_html, MESSAGES_PAGE, "li", text="saved", count=0) == (
        "1 element matches 'li' with the text 'saved' on GET /notes/, expected none; it is:\n"
        '  <li class="success">Your note was saved.</li>'
    )
    assert failure(
        assert_html,
        MESSAGES_PAGE,
        "tr",
        attrs={"data-id": re.compile("[12]"), "hidden": False},
        count=2,
    ) == (
        "1 element matches 'tr' with the attributes data-id matching '[12]', no hidden on GET "
        "/notes/, expected 2; it is:\n"
        '  <tr data-id="1"><td>Milk</td><td class="done">yes</td></tr>'
    )


def test_long_parts_of_the_page_are_indented_and_cut():
    rows = "".join(f"<li>Row number {n} with some words to make it long</li>" for n in range(40))

    message = failure(assert_html, page(f"<main><ul>{rows}</ul></main>"), "ul li.active")

    lines = message.splitlines()
    assert lines[:4] == [
        "No element matches 'ul li.active' on GET /page/. The nearest part of the page that "
        "exists, 'ul':",
        "  <ul>",
        "    <li>Row number 0 with some words to make it long</li>",
        "    <li>Row number 1 with some words to make it long</li>",
    ]
    assert lines[-1] == "  …"
    assert len(lines) == 27


def test_assert_html_checks_its_arguments_and_the_response():
    assert failure(assert_html, MESSAGES_PAGE, "li:nth-child(") == (
        "Selector 'li:nth-child(' is not valid CSS: Can't parse CSS selector; pass a CSS "
        "selector such as 'ul.messages li' or '#main a[href]'."
    )
    assert failure(assert_html, page(b"\x89PNG", "/logo.png", "image/png"), "img") == (
        "GET /logo.png answered image/png, not an HTML page; assert_html() reads HTML, so check "
        "this response another way."
    )
    with pytest.raises(TypeError) as bad_count:
        assert_html(MESSAGES_PAGE, "li", count=-1)
    with pytest.raises(TypeError) as bad_exact:
        assert_html(MESSAGES_PAGE, "li", exact_text=re.compile("x"))
    with pytest.raises(TypeError) as bad_attr:
        assert_html(MESSAGES_PAGE, "li", attrs={"data-id": 2})

    assert str(bad_count.value) == "count= takes a number of elements (0 or more), not -1."
    assert str(bad_exact.value) == (
        "exact_text= takes a string, not re.compile('x'); pass a re.Pattern as text= to match "
        "a pattern."
    )
    assert str(bad_attr.value) == (
        "attrs['data-id'] takes a string, a compiled re.Pattern, True (present) or False "
        "(absent), not 2."
    )


def test_texts_of_reads_without_asserting():
    assert texts_of(MESSAGES_PAGE, "td.done") == ["yes", "no"]
    assert texts_of(MESSAGES_PAGE, "ul.errorlist li") == []
    assert failure(texts_of, MESSAGES_PAGE, "td[") == (
        "Selector 'td[' is not valid CSS: Can't parse CSS selector; pass a CSS selector such as "
        "'ul.messages li'."
    )


def test_visible_text_reads_like_a_browser():
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(
        "<div><p>One</p><p>Two</p><span>Th</span>ree<br>Four<script>no</script><style>p{}</style>"
        "<!-- no --></div>"
    )

    assert visible_text(tree.css_first("div")) == "One Two Three Four"


def test_assert_html_reads_the_real_page_with_the_kit_client():
    client = KitClient()
    client.get("/widgets/links/")

    texts = assert_html(client.last_response, "ul.products li .price", count=2)

    assert texts == ["9.50", "4.75"]


def test_async_responses_are_read_too():
    from asgiref.sync import async_to_sync

    response = async_to_sync(AsyncClient().get)("/widgets/links/")

    assert assert_html(response, "nav.pages a", count=3) == ["Next page", "Buttons", "Books"]


class PagesInTheBrowserTest(BrowserTestCase):
    """The same calls drive Chromium: follow() navigates, assert_html() reads the page shown."""

    def test_follow_and_assert_html_in_the_browser(self):
        self.visit("/widgets/links/")

        relative = follow(self.driver, href="../buttons/")
        buttons_url = self.page.url
        self.visit("/widgets/")
        guarded = follow(self.driver, text="Dashboard")

        assert relative.status_code == 200
        assert buttons_url == f"{self.live_server_url}/widgets/buttons/"
        assert [hop.status_code for hop in guarded.kit_hops] == [302, 200]
        assert assert_html(guarded, "h1", exact_text="Log in") == ["Log in"]
        assert texts_of(self.driver.last_response, "main h1") == ["Log in"]
