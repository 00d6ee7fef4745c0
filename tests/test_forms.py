import pytest
from django.test import Client

from django_integration_kit import KitClient, login_as, submit_form
from django_integration_kit.forms import fill, parse_forms

pytestmark = pytest.mark.django_db

PAGE = """
<form id="f" method="post" action="next/?a=1">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input name="title" value="Hi" required>
  <input type="password" name="secret">
  <input type="checkbox" name="tags" value="a" checked>
  <input type="checkbox" name="tags" value="b">
  <input type="radio" name="size" value="s"><input type="radio" name="size" value="m" checked>
  <select name="colour"><option value="red">Red</option><option value="blue" selected>Blue</option></select>
  <select name="many" multiple><option>x</option><option selected>y</option></select>
  <textarea name="body">Line &amp; more</textarea>
  <input name="off" value="1" disabled>
  <input type="file" name="upload">
  <button name="go" value="1">Go</button>
</form>
"""


def test_parse_forms_reads_what_a_browser_would_send():
    (form,) = parse_forms(PAGE, "/page/")

    assert form.label == "#f"
    assert form.action == "/page/next/?a=1"
    assert form.method == "post"
    assert form.values == {
        "csrfmiddlewaretoken": ["tok"],
        "title": ["Hi"],
        "secret": [""],
        "tags": ["a"],
        "size": ["m"],
        "colour": ["blue"],
        "many": ["y"],
        "body": ["Line & more"],
    }
    assert form.required == ["title"]
    assert form.password_fields == ["secret"]


def test_fill_turns_python_values_into_form_values():
    (form,) = parse_forms(PAGE, "/page/")

    payload = fill(form, {"tags": ["a", "b"], "size": None, "title": 3, "many": False})

    assert payload["tags"] == ["a", "b"]
    assert payload["title"] == "3"
    assert "size" not in payload
    assert "many" not in payload


def test_fill_checks_a_box_with_its_value():
    (form,) = parse_forms(PAGE.replace(" checked>", ">", 1), "/page/")

    assert fill(form, {"tags": True})["tags"] == "a"


def test_submit_form_posts_the_only_fitting_form():
    client = KitClient()
    client.get("/contact/")

    response = submit_form(client, name="Bob", topic="sales", subscribe=True)

    assert response.status_code == 302
    assert response.wsgi_request.POST.dict() == {
        "csrfmiddlewaretoken": response.wsgi_request.POST["csrfmiddlewaretoken"],
        "source": "contact-page",
        "name": "Bob",
        "topic": "sales",
        "subscribe": "yes",
        "body": "Hello",
    }


def test_submit_form_by_selector_with_a_get_form():
    client = Client()
    page = client.get("/contact/")

    response = submit_form(client, page, "form.search", q="kit")

    assert response.status_code == 200
    assert response.wsgi_request.GET.dict() == {"q": "kit"}
    assert "Results for “kit”" in response.content.decode()


def test_submit_form_fails_on_a_field_that_is_not_in_the_form():
    client = Client()
    page = client.get("/contact/")

    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page, "#contact", emial="a@example.com")

    assert str(excinfo.value) == (
        "Field 'emial' is not in form #contact; its fields are: csrfmiddlewaretoken, source, "
        "name, topic, subscribe, body, disabled_field, send."
    )


def test_submit_form_fails_on_a_field_in_no_form():
    client = Client()
    page = client.get("/contact/")

    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page, nme="Bob")

    assert str(excinfo.value) == (
        "Field 'nme' is not in any form on GET /contact/; the forms' fields are: "
        "form.search: q; #contact: csrfmiddlewaretoken, source, name, topic, subscribe, body, "
        "disabled_field, send."
    )


def test_submit_form_prefers_the_one_post_form_over_a_search_box():
    client = KitClient()
    client.get("/contact/")

    assert submit_form(client).wsgi_request.path == "/contact/"


def test_submit_form_asks_for_a_selector_when_forms_are_ambiguous():
    client = KitClient()
    login_as(client)
    page = client.get("/settings/")

    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page)

    assert str(excinfo.value) == (
        "GET /settings/ has 4 forms; pass selector= to pick one of: "
        "form.search (GET /search/), #logout-form (POST /logout/), "
        "#email-form (POST /settings/), #name-form (POST /settings/)."
    )


def test_submit_form_picks_the_form_that_has_the_fields():
    client = KitClient()
    user = login_as(client)
    client.get("/settings/")

    submit_form(client, first_name="Ada")

    user.refresh_from_db()
    assert user.first_name == "Ada"


def test_submit_form_with_a_selector_that_matches_nothing():
    client = Client()
    page = client.get("/contact/")

    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page, "#nope")

    assert str(excinfo.value) == (
        "No form matches selector '#nope' on GET /contact/; its forms are: "
        "form.search (GET /search/), #contact (POST /contact/)."
    )


def test_submit_form_refuses_a_post_form_without_csrf_token():
    client = Client()
    page = client.get("/no-csrf/")

    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page, "#broken", name="x")

    assert str(excinfo.value) == (
        "Form #broken (POST /no-csrf/) posts without a CSRF token; "
        "add {% csrf_token %} inside the <form> element."
    )


def test_submit_form_passes_the_csrf_check_when_enforced():
    client = KitClient(enforce_csrf_checks=True)
    client.get("/contact/")

    assert submit_form(client, name="Bob").status_code == 302
    assert client.post("/contact/", {"name": "Bob"}).status_code == 403


def test_submit_form_needs_a_response_with_a_plain_client():
    with pytest.raises(TypeError) as excinfo:
        submit_form(Client(), name="x")

    assert str(excinfo.value).startswith("submit_form() needs a response: pass response=")
