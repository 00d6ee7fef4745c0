import re
import unittest
from types import SimpleNamespace

import pytest
from asgiref.sync import async_to_sync
from catalog.models import Category, Product
from django.contrib import messages
from django.core.signals import request_started
from django.db import connection, reset_queries
from django.test import SimpleTestCase

from django_integration_kit import (
    IntegrationTestCase,
    Kit,
    KitClient,
    assert_contains,
    assert_form_error,
    assert_max_queries,
    assert_message,
    assert_not_contains,
    assert_redirects,
    assert_template_used,
    make,
    submit_form,
)
from django_integration_kit._report import mask

pytestmark = pytest.mark.django_db

CATEGORY_BY_ID = "SELECT name FROM catalog_category WHERE id = %s"


def run_sql(*statements):
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def make_products(count):
    for number in range(count):
        make(Product, name=f"Product {number}", category=make(Category))


def reset_queries_is_connected():
    connected = request_started.disconnect(reset_queries)
    if connected:
        request_started.connect(reset_queries)
    return connected


# assert_max_queries: passing


def test_assert_max_queries_passes_at_the_limit():
    with assert_max_queries(3) as queries:
        run_sql(*[(CATEGORY_BY_ID, [number]) for number in (1, 2, 3)])

    assert len(queries) == 3


def test_assert_max_queries_counts_the_requests_made_in_the_block(client):
    make_products(3)

    # The list page shows each product's category, loaded with select_related().
    with assert_max_queries(1):
        response = client.get("/catalog/")

    assert response.status_code == 200


def test_assert_max_queries_can_be_nested():
    with assert_max_queries(3) as outer:
        run_sql(("SELECT 1", []))
        with assert_max_queries(1) as inner:
            run_sql(("SELECT 2", []))

    assert (len(outer), len(inner)) == (2, 1)
    assert connection.force_debug_cursor is False


# assert_max_queries: failing


def test_assert_max_queries_fails_listing_every_query_and_marking_an_n_plus_one():
    with pytest.raises(AssertionError) as excinfo, assert_max_queries(2):
        run_sql(
            *[(CATEGORY_BY_ID, [number]) for number in (1, 2, 3)],
            ("SELECT name FROM catalog_category WHERE slug = %s", ["tools"]),
            ("SELECT COUNT(*) FROM catalog_product WHERE id IN (%s, %s)", [1, 2]),
        )

    assert str(excinfo.value) == (
        "Expected at most 2 queries on database 'default', but 5 ran:\n"
        "  1. SELECT name FROM catalog_category WHERE id = 1  [repeated 3x: likely N+1]\n"
        "  2. SELECT name FROM catalog_category WHERE id = 2  [repeated 3x: likely N+1]\n"
        "  3. SELECT name FROM catalog_category WHERE id = 3  [repeated 3x: likely N+1]\n"
        "  4. SELECT name FROM catalog_category WHERE slug = '********'\n"
        "  5. SELECT COUNT(*) FROM catalog_product WHERE id IN (1, 2)\n"
        "Likely N+1: queries 1-3 run the same SQL with other values: "
        "SELECT name FROM catalog_category WHERE id = ?\n"
        "Load the related rows up front with select_related() or prefetch_related() "
        "(or bulk_create()/update() for writes), or raise the limit if the queries are intended."
    )


def test_quoted_values_with_quotes_inside_have_one_shape_on_every_backend():
    from django_integration_kit.assertions import _sql_shape

    shapes = {
        _sql_shape("SELECT 1 FROM t WHERE slug = 'it''s' AND id = 1"),
        _sql_shape("SELECT 1 FROM t WHERE slug = 'it\\'s' AND id = 2"),
        _sql_shape("SELECT 1 FROM t WHERE slug = 'plain' AND id = 3"),
    }

    assert shapes == {"SELECT ? FROM t WHERE slug = ? AND id = ?"}


def test_without_repeats_the_message_says_what_limit_would_pass():
    with pytest.raises(AssertionError) as excinfo, assert_max_queries(0):
        run_sql(("SELECT 1", []))

    assert str(excinfo.value) == (
        "Expected at most 0 queries on database 'default', but 1 ran:\n"
        "  1. SELECT 1\n"
        "Remove queries, or raise the limit to 1 if they are intended."
    )


def test_numbers_line_up_and_scattered_repeats_are_listed():
    with pytest.raises(AssertionError) as excinfo, assert_max_queries(1):
        run_sql(*[("SELECT %s", [number]) for number in range(1, 10)])
        run_sql(("SELECT COUNT(*) FROM catalog_category", []), ("SELECT %s", [10]))

    lines = str(excinfo.value).splitlines()
    assert lines[0] == "Expected at most 1 query on database 'default', but 11 ran:"
    assert lines[1] == "   1. SELECT 1  [repeated 10x: likely N+1]"
    assert lines[10] == "  10. SELECT COUNT(*) FROM catalog_category"
    assert lines[11] == "  11. SELECT 10  [repeated 10x: likely N+1]"
    assert lines[12] == "Likely N+1: queries 1-9, 11 run the same SQL with other values: SELECT ?"


def test_an_orm_n_plus_one_loop_is_marked_with_a_summary():
    make_products(3)

    with pytest.raises(AssertionError) as excinfo, assert_max_queries(1) as queries:
        for product in Product.objects.all():
            assert product.category.name

    sql = [query["sql"] for query in queries.captured_queries]
    assert len(sql) == 4
    assert str(excinfo.value).splitlines() == [
        "Expected at most 1 query on database 'default', but 4 ran:",
        f"  1. {sql[0]}",
        f"  2. {sql[1]}  [repeated 3x: likely N+1]",
        f"  3. {sql[2]}  [repeated 3x: likely N+1]",
        f"  4. {sql[3]}  [repeated 3x: likely N+1]",
        "Likely N+1: queries 2-4 run the same SQL with other values: "
        + re.sub(r"\b\d+\b", "?", sql[1]),
        "Load the related rows up front with select_related() or prefetch_related() "
        "(or bulk_create()/update() for writes), or raise the limit if the queries are intended.",
    ]
    assert "catalog_category" in sql[1]


def test_long_numbers_are_masked_and_short_ones_shown():
    with pytest.raises(AssertionError) as excinfo, assert_max_queries(0):
        run_sql((CATEGORY_BY_ID, [999999]), (CATEGORY_BY_ID, [4111111]))

    assert str(excinfo.value).splitlines()[1:3] == [
        "  1. SELECT name FROM catalog_category WHERE id = 999999  [repeated 2x: likely N+1]",
        "  2. SELECT name FROM catalog_category WHERE id = ********  [repeated 2x: likely N+1]",
    ]


def test_two_runs_of_one_query_are_a_likely_n_plus_one_listed_by_number():
    with pytest.raises(AssertionError) as excinfo, assert_max_queries(1):
        run_sql((CATEGORY_BY_ID, [1]), (CATEGORY_BY_ID, [2]))

    assert str(excinfo.value).splitlines()[3:] == [
        "Likely N+1: queries 1, 2 run the same SQL with other values: "
        "SELECT name FROM catalog_category WHERE id = ?",
        "Load the related rows up front with select_related() or prefetch_related() "
        "(or bulk_create()/update() for writes), or raise the limit if the queries are intended.",
    ]


def test_in_lists_of_any_length_have_one_shape():
    with pytest.raises(AssertionError) as excinfo, assert_max_queries(1):
        run_sql(
            ("SELECT name FROM catalog_category WHERE id IN (%s, %s)", [1, 2]),
            ("SELECT name FROM catalog_category WHERE id IN (%s, %s, %s)", [1, 2, 3]),
        )

    assert str(excinfo.value).splitlines()[3] == (
        "Likely N+1: queries 1, 2 run the same SQL with other values: "
        "SELECT name FROM catalog_category WHERE id IN (...)"
    )


def test_a_repeated_statement_that_reads_or_writes_no_rows_is_not_an_n_plus_one():
    with pytest.raises(AssertionError) as excinfo, assert_max_queries(0):
        for _ in range(2):
            run_sql(("SAVEPOINT kit_check", []), ("RELEASE SAVEPOINT kit_check", []))

    assert str(excinfo.value).splitlines() == [
        "Expected at most 0 queries on database 'default', but 4 ran:",
        "  1. SAVEPOINT kit_check  [repeated 2x]",
        "  2. RELEASE SAVEPOINT kit_check  [repeated 2x]",
        "  3. SAVEPOINT kit_check  [repeated 2x]",
        "  4. RELEASE SAVEPOINT kit_check  [repeated 2x]",
        "Remove queries, or raise the limit to 4 if they are intended.",
    ]


def test_a_repeated_union_in_parentheses_is_a_likely_n_plus_one():
    from django_integration_kit.assertions import _query_report

    # PostgreSQL and MySQL put each part of a sliced union() in parentheses.
    union = "(SELECT id FROM catalog_product WHERE category_id = {} LIMIT 1) UNION (SELECT 1)"
    report = _query_report(1, "default", [union.format(1), union.format(2)])

    assert report.splitlines()[1].endswith("  [repeated 2x: likely N+1]")
    assert report.splitlines()[3].startswith("Likely N+1: queries 1, 2 run the same SQL")


def test_a_negative_limit_is_an_error():
    with pytest.raises(ValueError) as excinfo:
        assert_max_queries(-1)

    assert str(excinfo.value) == "assert_max_queries() needs a limit of 0 or more queries, got -1."


def test_a_limit_that_is_not_a_number_is_an_error():
    with pytest.raises(TypeError) as excinfo:
        assert_max_queries("3")

    assert str(excinfo.value) == "assert_max_queries() needs a whole number of queries, not '3'."


# assert_max_queries: restoring the connection


def test_an_error_in_the_block_wins_and_the_connection_is_restored():
    with pytest.raises(ZeroDivisionError), assert_max_queries(0):
        run_sql(("SELECT 1", []), ("SELECT 2", []))
        1 / 0  # noqa: B018

    assert connection.force_debug_cursor is False
    assert reset_queries_is_connected()


def test_the_connection_is_restored_after_a_failure():
    with pytest.raises(AssertionError), assert_max_queries(0):
        run_sql(("SELECT 1", []))

    assert connection.force_debug_cursor is False
    assert reset_queries_is_connected()


# assert_max_queries: as a decorator


def test_assert_max_queries_decorates_a_function():
    @assert_max_queries(1)
    def two_queries():
        run_sql(("SELECT 1", []), ("SELECT 2", []))

    with pytest.raises(AssertionError) as excinfo:
        two_queries()

    assert str(excinfo.value).startswith(
        "Expected at most 1 query on database 'default', but 2 ran:"
    )
    assert connection.force_debug_cursor is False


def test_assert_max_queries_decorates_a_coroutine_function():
    make_products(2)

    @assert_max_queries(1)
    async def n_plus_one():
        async for product in Product.objects.all():
            await Category.objects.aget(pk=product.category_id)

    @assert_max_queries(1)
    async def joined():
        return [p.category.name async for p in Product.objects.select_related("category")]

    assert len(async_to_sync(joined)()) == 2
    with pytest.raises(AssertionError) as excinfo:
        async_to_sync(n_plus_one)()

    lines = str(excinfo.value).splitlines()
    assert lines[0] == "Expected at most 1 query on database 'default', but 3 ran:"
    assert lines[2].endswith("[repeated 2x: likely N+1]")
    assert connection.force_debug_cursor is False


def test_assert_max_queries_decorates_a_test_case_class():
    @assert_max_queries(1)
    class Checked(unittest.TestCase):
        def test_one_query(self):
            run_sql(("SELECT 1", []))

        def test_two_queries(self):
            run_sql(("SELECT 1", []), ("SELECT 2", []))

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Checked).run(result)

    assert result.testsRun == 2
    assert [test.id().rsplit(".", 1)[1] for test, _ in result.failures] == ["test_two_queries"]
    assert "Expected at most 1 query on database 'default', but 2 ran:" in result.failures[0][1]
    assert connection.force_debug_cursor is False


# assert_message


def post_contact(client, **extra):
    return client.post("/contact/", {"name": "Ann"}, **extra)


def test_assert_message_reads_a_redirect_without_consuming_the_message(client):
    response = post_contact(client)
    assert response.status_code == 302

    assert_message(response, "Thanks, Ann.")
    assert_message(response, "Ann", level=messages.INFO)

    # The page the redirect leads to still shows the message.
    assert "Thanks, Ann." in client.get("/").text


def test_assert_message_reads_a_followed_response(client):
    response = post_contact(client, follow=True)

    assert_message(response, "Thanks", level="info")
    assert_message(response, "Thanks", level="INFO")


def test_assert_message_reads_the_clients_storage_when_the_response_has_no_request(client):
    post_contact(client)
    bare_response = SimpleNamespace(client=client)

    assert_message(bare_response, "Thanks, Ann.", level="info")

    assert "Thanks, Ann." in client.get("/").text


def test_assert_message_accepts_the_projects_own_tags(client, settings):
    settings.MESSAGE_TAGS = {messages.INFO: "notice"}

    assert_message(post_contact(client), "Thanks", level="notice")


def test_assert_message_fails_listing_the_stored_messages(client):
    response = post_contact(client)

    with pytest.raises(AssertionError) as excinfo:
        assert_message(response, "Order placed")

    assert str(excinfo.value) == (
        "No message containing 'Order placed' was stored. Messages stored:\n  INFO: Thanks, Ann."
    )


def test_assert_message_fails_on_the_wrong_level(client):
    response = post_contact(client, follow=True)

    with pytest.raises(AssertionError) as excinfo:
        assert_message(response, "Thanks", level=messages.SUCCESS)

    assert str(excinfo.value) == (
        "No SUCCESS message containing 'Thanks' was stored. Messages stored:\n  INFO: Thanks, Ann."
    )


def test_assert_message_fails_when_nothing_was_stored(client):
    response = client.get("/")

    with pytest.raises(AssertionError) as excinfo:
        assert_message(response, "Thanks")

    assert str(excinfo.value) == (
        "No message containing 'Thanks' was stored; no messages were stored at all. Check that "
        "the view adds the message to this request, or to one it redirected from."
    )


def test_assert_message_takes_the_level_by_position_or_keyword(client):
    response = post_contact(client)

    assert_message(response, "Thanks", messages.INFO)
    assert_message(response, "Thanks", "info")
    assert_message(response, "Thanks", level="info")
    with pytest.raises(AssertionError) as excinfo:
        assert_message(response, "Thanks", "success")

    assert str(excinfo.value) == (
        "No SUCCESS message containing 'Thanks' was stored. Messages stored:\n  INFO: Thanks, Ann."
    )


def test_assert_message_refuses_an_unknown_level_name(client):
    response = post_contact(client)

    with pytest.raises(ValueError) as excinfo:
        assert_message(response, "Thanks", level="sucess")

    assert str(excinfo.value) == (
        "Unknown message level 'sucess'; use a constant like messages.SUCCESS or one of: "
        "debug, error, info, success, warning."
    )


def test_assert_message_reads_the_responses_own_request_after_later_requests(client):
    response = post_contact(client)
    # The home page shows the message, which takes it out of the client's cookies.
    assert "Thanks, Ann." in client.get("/").text

    assert_message(response, "Thanks, Ann.", level="info")


def test_assert_message_reads_a_response_of_the_async_client(async_client):
    response = async_to_sync(async_client.post)("/contact/", {"name": "Ann"})
    async_to_sync(async_client.get)("/")

    assert_message(response, "Thanks, Ann.", level="info")


def test_assert_message_reads_messages_the_client_keeps_in_its_session(client, settings):
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    post_contact(client)

    assert_message(SimpleNamespace(client=client), "Thanks, Ann.", level="info")


def test_a_custom_level_is_named_by_its_tag_or_its_number(client, settings):
    response = post_contact(client)
    settings.MESSAGE_TAGS = {35: "urgent"}

    with pytest.raises(AssertionError) as tagged:
        assert_message(response, "Thanks", level=35)
    with pytest.raises(AssertionError) as untagged:
        assert_message(response, "Thanks", level=36)

    assert str(tagged.value).splitlines()[0] == (
        "No URGENT message containing 'Thanks' was stored. Messages stored:"
    )
    assert str(untagged.value).splitlines()[0] == (
        "No LEVEL 36 message containing 'Thanks' was stored. Messages stored:"
    )


def test_assert_message_refuses_something_that_is_not_a_response():
    with pytest.raises(TypeError) as excinfo:
        assert_message("/contact/", "Thanks")

    assert str(excinfo.value) == (
        "assert_message() needs a response from a Django test client, not str."
    )


# Django's response assertions, as functions that tell the story


def contact_page_posted(client):
    return submit_form(client, client.get("/contact/"), "#contact", name="Ann", body="Hi")


def test_the_response_assertions_pass_as_djangos_do(client):
    response = contact_page_posted(client)
    page = client.get("/contact/")

    assert assert_redirects(response, "/") is None
    assert assert_contains(page, "Contact", html=False) is None
    assert assert_not_contains(page, "Welcome") is None
    assert assert_template_used(page, "accounts/contact.html") is None


def test_assert_redirects_with_a_plain_client_tells_the_responses_own_exchange(client):
    response = contact_page_posted(client)

    with pytest.raises(AssertionError) as excinfo:
        assert_redirects(response, "/thanks/", msg_prefix="After contact")

    assert str(excinfo.value) == (
        "'/' != '/thanks/'\n"
        "- /\n"
        "+ /thanks/\n"
        " : After contact: Response redirected to '/', expected '/thanks/': Expected '/' to "
        "equal '/thanks/'.\n"
        "Requests:\n"
        "  POST /contact/ 302 -> /\n"
        "Submitted: csrfmiddlewaretoken='********', source='contact-page', name='Ann', "
        "topic='help', body='Hi', send='1'"
    )


def test_assert_contains_with_the_kits_client_tells_its_requests_and_what_was_sent():
    client = KitClient()
    client.get("/")
    response = client.post("/contact/", {"name": "Ann", "password": "Kit-secret-9"}, follow=True)

    with pytest.raises(AssertionError) as excinfo:
        assert_contains(response, "Goodbye")

    message = str(excinfo.value)
    assert message.splitlines()[0] == (
        "False is not true : Couldn't find 'Goodbye' in the following response"
    )
    assert message.split("\nRequests:\n", 1)[1].splitlines()[:4] == [
        "  GET / 200",
        "  POST /contact/ 302 -> /",
        "  GET / 200",
        "Redirect chain: / (302)",
    ]


def test_assert_not_contains_and_assert_template_used_tell_the_page(client):
    page = client.get("/contact/")

    for assertion, django_assertion, args in [
        (
            assert_not_contains,
            SimpleTestCase().assertNotContains,
            (page, "<h1>Contact</h1>", 200, "", True),
        ),
        (
            assert_template_used,
            SimpleTestCase().assertTemplateUsed,
            (page, "accounts/home.html"),
        ),
    ]:
        with pytest.raises(AssertionError) as django_failure:
            django_assertion(*args)
        with pytest.raises(AssertionError) as excinfo:
            assertion(*args)
        lines = str(excinfo.value).splitlines()
        # Django's own message comes first, as each Django version words it, with the page
        # it quotes masked (its form's CSRF token).
        assert str(excinfo.value).startswith(mask(str(django_failure.value)) + "\nRequests:")
        if assertion is assert_not_contains:
            assert 'name="csrfmiddlewaretoken" value="********"' in str(excinfo.value)
        assert lines[-3:-1] == ["Requests:", "  GET /contact/ 200"]
        assert lines[-1].startswith("Page text: 'Home Search Log in Sign up")


def test_assert_redirects_fetches_the_target_unless_told_not_to(client):
    response = client.get("/widgets/crawl/away/")

    assert_redirects(response, "https://elsewhere.example/moved/", fetch_redirect_response=False)
    with pytest.raises(ValueError) as excinfo:
        assert_redirects(response, "https://elsewhere.example/moved/")

    assert "unable to fetch remote URLs" in str(excinfo.value)


def djangos_failure(assertion, *args, **kwargs):
    """The message of Django's own ``assertion`` on the same arguments, masked as ours are."""
    with pytest.raises(AssertionError) as excinfo:
        getattr(SimpleTestCase(), assertion)(*args, **kwargs)
    return mask(str(excinfo.value))


def test_assert_redirects_without_a_prefix_gives_djangos_message_and_the_requests(client):
    response = client.get("/dashboard/")

    with pytest.raises(AssertionError) as excinfo:
        assert_redirects(response, "/login/", fetch_redirect_response=False)

    assert str(excinfo.value) == (
        djangos_failure("assertRedirects", response, "/login/", fetch_redirect_response=False)
        + "\nRequests:\n  GET /dashboard/ 302 -> /login/?next=/dashboard/"
    )


def test_assert_contains_checks_the_count_and_compares_html_when_asked(client):
    page = client.get("/contact/")

    assert_contains(page, "<h1 >Contact</h1>", html=True)
    assert_contains(page, "<h1>Contact</h1>", count=1)
    with pytest.raises(AssertionError) as as_text:
        assert_contains(page, "<h1 >Contact</h1>")
    with pytest.raises(AssertionError) as wrong_count:
        assert_contains(page, "<h1>Contact</h1>", count=2)

    assert str(as_text.value).startswith(
        djangos_failure("assertContains", page, "<h1 >Contact</h1>") + "\nRequests:"
    )
    assert str(wrong_count.value).startswith(
        djangos_failure("assertContains", page, "<h1>Contact</h1>", count=2) + "\nRequests:"
    )


def test_assert_not_contains_compares_html_only_when_asked(client):
    page = client.get("/contact/")

    assert_not_contains(page, "<h1 >Contact</h1>")
    with pytest.raises(AssertionError) as excinfo:
        assert_not_contains(page, "<h1 >Contact</h1>", html=True)

    assert str(excinfo.value).startswith(
        djangos_failure("assertNotContains", page, "<h1 >Contact</h1>", html=True) + "\nRequests:"
    )


def test_assert_template_used_checks_the_count(client):
    page = client.get("/contact/")

    assert_template_used(page, "accounts/contact.html", count=1)
    with pytest.raises(AssertionError) as excinfo:
        assert_template_used(page, "accounts/contact.html", count=2)

    assert str(excinfo.value).startswith(
        djangos_failure("assertTemplateUsed", page, "accounts/contact.html", count=2)
        + "\nRequests:"
    )


def test_assert_form_error_lists_the_forms_errors_and_what_it_was_given():
    from django.contrib.auth.forms import AuthenticationForm

    def bound_form():
        return AuthenticationForm(data={"username": "ann", "password": "Kit-secret-9"})

    with pytest.raises(AssertionError) as django_failure:
        SimpleTestCase().assertFormError(bound_form(), "username", "Unknown user.")
    with pytest.raises(AssertionError) as excinfo:
        assert_form_error(bound_form(), "username", "Unknown user.")

    # Django's own message comes first, as each Django version words it.
    assert str(excinfo.value) == (
        str(django_failure.value) + "\n"
        "Requests:\n"
        "  (none recorded)\n"
        "Form errors:\n"
        "  __all__: Please enter a correct username and password. Note that both fields may be "
        "case-sensitive.\n"
        "Submitted: username='ann', password='********'"
    )


def test_assert_form_error_passes_the_prefix_on():
    from django.contrib.auth.forms import AuthenticationForm

    form = AuthenticationForm(data={"username": "ann", "password": "Kit-secret-9"})

    with pytest.raises(AssertionError) as excinfo:
        assert_form_error(form, "username", "Unknown user.", "Logging in")

    # Django's message, with the prefix where Django puts it (its wording differs by version).
    assert "Logging in: The errors of field 'username'" in str(excinfo.value)
    assert "Logging in: " in str(excinfo.value)


def test_assert_form_error_given_a_client_tells_its_requests():
    client = KitClient()
    response = client.post("/signup/", {"username": "", "password1": "x", "password2": "y"})

    assert_form_error(response.context["form"], "username", "This field is required.")
    with pytest.raises(AssertionError) as excinfo:
        assert_form_error(response.context["form"], "username", "Too short.", client=client)

    lines = str(excinfo.value).splitlines()
    assert lines[1:3] == ["Requests:", "  POST /signup/ 200"]
    assert "Submitted: username='', password1='********', password2='********'" in lines


def test_the_kit_object_has_the_response_assertions():
    kit = Kit(KitClient())
    kit.client.get("/")

    kit.assert_contains(kit.last_response, "Home")
    kit.assert_not_contains(kit.last_response, "Welcome")
    kit.assert_template_used(kit.last_response, "accounts/home.html")
    redirect = kit.client.get("/dashboard/")
    kit.assert_redirects(redirect, "/login/?next=/dashboard/", fetch_redirect_response=False)
    with pytest.raises(AssertionError) as excinfo:
        kit.assert_redirects(redirect, "/login/", fetch_redirect_response=False)

    assert str(excinfo.value).splitlines()[-3:] == [
        "Requests:",
        "  GET / 200",
        "  GET /dashboard/ 302 -> /login/?next=/dashboard/",
    ]


def test_the_kit_objects_assert_form_error_tells_its_clients_requests():
    kit = Kit(KitClient())
    response = kit.client.post("/signup/", {"username": ""})

    with pytest.raises(AssertionError) as excinfo:
        kit.assert_form_error(response.context["form"], "username", "Too short.")

    assert str(excinfo.value).splitlines()[1:3] == ["Requests:", "  POST /signup/ 200"]


# the test-case methods


class AssertionMethodTests(IntegrationTestCase):
    def test_assert_max_queries_method(self):
        make_products(2)

        with self.assert_max_queries(1):
            response = self.client.get("/catalog/")

        self.assertContains(response, "Product 1")
        with self.assertRaises(AssertionError), self.assert_max_queries(0):
            self.client.get("/catalog/")

    def test_assert_message_method(self):
        response = self.submit_form(self.client.get("/contact/"), name="Bo")

        self.assert_message(response, "Thanks, Bo.", level="info")
        with self.assertRaises(AssertionError):
            self.assert_message(response, "Thanks, Bo.", level="error")
