"""The one masking rule of every failure message (``_report.mask``), and the leaks it closes."""

from urllib.parse import quote_plus

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import path

from django_integration_kit import (
    assert_contains,
    assert_login_required,
    assert_max_queries,
    login,
    login_as,
    make_user,
    signup,
    submit_form,
)
from django_integration_kit._report import describe, is_secret_name, mask

pytestmark = pytest.mark.django_db


# The rule


@pytest.mark.parametrize(
    "name",
    [
        "password",
        "password2",
        "new_password",
        "newPassword",
        "pass1",
        "pwd",
        "passphrase",
        "pin",
        "pin_code",
        "token",
        "access_token",
        "csrfmiddlewaretoken",
        "X-CSRFToken",
        "secret",
        "client_secret",
        "key",
        "api_key",
        "apikey",
        "X-Api-Key",
        "access_key",
        "AWSAccessKeyId",
        "appid",
        "X-Amz-Signature",
        "sig",
        "sessionid",
        "session_key",
        "JSESSIONID",
        "PHPSESSID",
        "jwt",
        "Authorization",
        "Proxy-Authorization",
        "auth",
        "otp",
        "totp_code",
        "code",
        "auth_code",
        "Cookie",
        "credentials",
    ],
)
def test_names_that_mean_a_secret(name):
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "username",
        "email",
        "next",
        "q",
        "city",
        "keyboard",
        "monkey",
        "postcode",
        "zip_code",
        "country_code",
        "status_code",
        "sort_key",
        "passport",
        "compass",
        "author",
        "secretary",
        "spinner",
        "opinion",
        "signup",
        "design",
        "possession",
    ],
)
def test_names_that_are_not_secrets(name):
    assert not is_secret_name(name)


def test_mask_hides_secrets_their_url_encodings_and_secret_parts_of_urls():
    text = (
        "GET /a/?q=tea&token=t0k&next=/pay/%3Fapi_key%3DK3Y 302 -> "
        "https://ghp_abc@git.example/x#access_token=F4G, typed 'p@ss w0rd!' (p%40ss+w0rd%21); "
        "Bearer abcdefgh12345678; eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl"
    )

    assert mask(text, ["p@ss w0rd!"]) == (
        "GET /a/?q=tea&token=********&next=/pay/?api_key=******** 302 -> "
        "https://********@git.example/x#********, typed '********' (********); "
        "Bearer ********; ********"
    )


def test_mask_leaves_form_labels_selectors_and_sentences_alone():
    text = "Selector '#join' matches no form; form #login (POST /login/)? Did you mean 'x'?"

    assert mask(text) == text


def test_submitted_masks_secret_names_and_secret_values():
    message = describe(
        "t",
        [],
        submitted={"pin": "12", "answer": "Hidden-1", "city": "Oslo"},
        secrets=["Hidden-1"],
    )

    assert message.splitlines()[-1] == "Submitted: pin='********', answer='********', city='Oslo'"


# The leaks, each through the kit's public functions


def _form_page(request, fields, method="post"):
    token = get_token(request)
    inputs = "".join(f'<input type="{kind}" name="{name}">' for name, kind in fields)
    return (
        f'<form method="{method}" action=""><input type="hidden" name="csrfmiddlewaretoken" '
        f'value="{token}">{inputs}<button>Go</button></form>'
    )


def leaky_signup(request):
    """A signup page that shows back what it was sent, the way a careless page does."""
    fields = [
        ("username", "text"),
        ("password1", "password"),
        ("password2", "password"),
        ("pin", "text"),
    ]
    page = _form_page(request, fields)
    if request.method == "POST":
        data = request.POST
        echoed = f"You typed {data['password1']} and {data['password2']}, pin {data['pin']}."
        page = f'<ul class="errorlist"><li>{echoed}</li></ul>' + page
    return HttpResponse(f"<html><body>{page}</body></html>")


def get_login(request):
    """A login page whose form is sent by GET: the password lands in the URL."""
    fields = [("username", "text"), ("password", "password")]
    page = _form_page(request, fields, method="get")
    if "username" in request.GET:
        page = '<ul class="errorlist"><li>Wrong username or password.</li></ul>' + page
    return HttpResponse(f"<html><body>{page}</body></html>")


def session_page(request):
    request.session["seen"] = True
    request.session.save()
    return HttpResponse(f"<p>Your session is {request.session.session_key}.</p>")


urlpatterns = [
    path("leaky-signup/", leaky_signup),
    path("get-login/", get_login),
    path("session/", session_page),
]


@pytest.fixture
def client(fast_hasher):
    return Client()


@pytest.mark.urls(__name__)
def test_a_signup_shows_no_password_pin_or_query_secret(client):
    with pytest.raises(AssertionError) as excinfo:
        signup(
            client,
            url="/leaky-signup/?token=Query-Secret-1",
            username="ann",
            password1="First-Pass-111",
            password2="Second-Pass-222",
            pin="4321",
        )

    message = str(excinfo.value)
    for secret in ("Query-Secret-1", "First-Pass-111", "Second-Pass-222", "4321"):
        assert secret not in message
    assert client.cookies["csrftoken"].value not in message
    assert "POST /leaky-signup/?token=******** 200" in message
    assert "pin='********'" in message
    assert "You typed ******** and ********, pin ********." in message


@pytest.mark.urls(__name__)
def test_a_login_form_sent_by_get_shows_no_password_or_csrf_token(client):
    password = "p@ss w0rd!/Secret"

    with pytest.raises(AssertionError) as excinfo:
        login(client, "ann", password, url="/get-login/")

    message = str(excinfo.value)
    assert password not in message
    assert quote_plus(password) not in message
    assert client.cookies["csrftoken"].value not in message
    request_line = message.splitlines()[3]
    assert request_line.startswith("  GET /get-login/?csrfmiddlewaretoken=********&")
    assert "username=ann&password=******** 200" in request_line


def test_login_with_a_secret_in_url_masks_it(client):
    User.objects.create_user("hasnat", password="strongPass123")

    with pytest.raises(AssertionError) as excinfo:
        login(client, "hasnat", "wrongPass456", url="/login/?token=Query-Secret-2")

    message = str(excinfo.value)
    assert "Query-Secret-2" not in message
    assert "POST /login/?token=******** 200" in message


def test_assert_login_required_masks_the_query_of_the_page(client):
    with pytest.raises(AssertionError) as excinfo:
        assert_login_required(client, "/?api_key=Query-Secret-3")

    message = str(excinfo.value)
    assert "Query-Secret-3" not in message
    assert message.splitlines()[0] == (
        "GET /?api_key=******** is not login-protected: it answered 200, expected a redirect "
        "to the login page /login/."
    )


def test_assert_max_queries_shows_no_session_key_or_password_hash(client):
    login_as(client)
    session_key = client.cookies["sessionid"].value

    with pytest.raises(AssertionError) as excinfo, assert_max_queries(0):
        client.get("/dashboard/")
        user = make_user(username="bob")

    message = str(excinfo.value)
    assert session_key not in message
    assert user.password not in message
    assert "'********'" in message


@pytest.mark.urls(__name__)
def test_the_session_cookie_is_masked_wherever_a_message_shows_it(client):
    response = client.get("/session/")
    session_key = client.cookies["sessionid"].value
    assert session_key in response.content.decode()

    with pytest.raises(AssertionError) as excinfo:
        assert_contains(response, "Welcome")

    message = str(excinfo.value)
    assert session_key not in message
    assert "Your session is ********." in message


@pytest.mark.urls(__name__)
def test_submit_form_errors_mask_the_page_query_and_secret_values(client):
    page = client.get("/leaky-signup/?token=Query-Secret-4")

    with pytest.raises(AssertionError) as unknown:
        submit_form(client, page, "#nope")
    with pytest.raises(AssertionError) as misspelt:
        submit_form(client, page, pinn="9876")

    assert str(unknown.value).startswith(
        "No form matches selector '#nope' on GET /leaky-signup/?token=********; "
    )
    assert "Query-Secret-4" not in str(misspelt.value)
    assert "Did you mean 'pin'?" in str(misspelt.value)


@pytest.mark.urls(__name__)
def test_assert_html_masks_the_page_query_and_secret_values_of_the_elements(client):
    from django_integration_kit import assert_html

    page = client.get("/leaky-signup/?token=Query-Secret-5")

    with pytest.raises(AssertionError) as excinfo:
        assert_html(page, "input[type=hidden]", count=2)

    message = str(excinfo.value)
    assert "Query-Secret-5" not in message
    assert message.splitlines() == [
        "1 element matches 'input[type=hidden]' on GET /leaky-signup/?token=********, "
        "expected 2; it is:",
        '  <input type="hidden" name="csrfmiddlewaretoken" value="********">',
    ]
