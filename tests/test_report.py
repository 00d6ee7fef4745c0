"""The one masking rule of every failure message (``_report.mask``), and the leaks it closes."""

from urllib.parse import quote_plus

import pytest
import requests
from asgiref.sync import async_to_sync
from django import forms
from django.contrib.auth.models import User
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.template import Context
from django.test import Client
from django.test.utils import ContextList
from django.urls import path

from django_integration_kit import (
    assert_contains,
    assert_login_required,
    assert_max_queries,
    assert_redirects,
    login,
    login_as,
    make_user,
    signup,
    submit_form,
)
from django_integration_kit._browser_driver import PageResponse
from django_integration_kit._report import (
    describe,
    is_secret_name,
    mask,
    page_text,
    story,
)
from django_integration_kit.client import AsyncKitClient, KitClient, watch

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
        "app_id",
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


def test_mask_hides_a_secret_that_contains_another_whole():
    assert mask("typed my-word1-pass", ["word1", "my-word1-pass"]) == "typed ********"


def test_mask_hides_secrets_of_three_characters_or_more_and_numbers_but_not_none_or_bools():
    text = "pin q7z, code 12345, ok, None, True"

    assert (
        mask(text, ["q7z", 12345, "ok", None, True])
        == "pin ********, code ********, ok, None, True"
    )


def test_mask_hides_a_secret_percent_encoded_with_every_reserved_character():
    assert mask("sent s3cret%2Fpass%20word", ["s3cret/pass word"]) == "sent ********"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("GET /a/?token=abc.", "GET /a/?token=********."),
        ("GET /a/?token=abc?def", "GET /a/?token=********"),
        ("GET /a/?token=abc=def&city=Oslo", "GET /a/?token=********&city=Oslo"),
        ("GET /a/?token=&city=Oslo", "GET /a/?token=&city=Oslo"),
        ("GET /a/?next=/pay/%23access_token%3Dabc", "GET /a/?next=/pay/#********"),
        (
            "GET /a/?next=https://bot:pw@git.example/x",
            "GET /a/?next=https://********@git.example/x",
        ),
        ("https://ann@mail.example:s3cret@git.example/x", "https://********@git.example/x"),
        ("https://t0k3n@git.example/repo://x", "https://********@git.example/repo://x"),
        ("https://social.example/@ann/posts", "https://social.example/@ann/posts"),
    ],
)
def test_mask_reads_each_part_of_a_url(text, masked):
    assert mask(text) == masked


def test_mask_hides_the_value_of_secret_inputs_quoted_or_not_and_leaves_empty_ones_empty():
    text = (
        '<input type="password" name="password" value=""> '
        "<input type=password name=password value=hunter22> "
        '<input name="pin" value="4321">'
    )

    assert mask(text) == (
        '<input type="password" name="password" value=""> '
        "<input type=password name=password value=********> "
        '<input name="pin" value="********">'
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


def test_submitted_masks_lists_that_hold_a_secret_and_shows_blank_fields_blank():
    message = describe(
        "t",
        [],
        submitted={"answers": ["x", "Hidden-1"], "username": "", "password": "", "tags": ["a"]},
        secrets=["Hidden-1"],
    )

    assert message.splitlines()[-1] == (
        "Submitted: answers='********', username='', password='********', tags=['a']"
    )


# The story a message tells


def test_a_message_with_no_requests_says_so():
    assert describe("Signup failed.", []) == "Signup failed.\nRequests:\n  (none recorded)"


def test_a_message_shows_each_redirect_followed():
    response = HttpResponse("Moved.", content_type="text/plain")
    response.redirect_chain = [("/old/", 301), ("/login/?next=/new/", 302)]

    assert describe("t", [], response).splitlines()[2:] == [
        "  (none recorded)",
        "Redirect chain: /old/ (301) -> /login/?next=/new/ (302)",
        "Page text: 'Moved.'",
    ]


def test_a_failed_assertion_tells_the_requests_redirects_and_page_that_led_to_it(fast_hasher):
    client = KitClient()
    response = client.get("/dashboard/", follow=True)

    with pytest.raises(AssertionError) as excinfo:
        assert_contains(response, "Welcome")

    message = str(excinfo.value)
    assert message[message.index("\nRequests:") + 1 :].splitlines() == [
        "Requests:",
        "  GET /dashboard/ 302 -> /login/?next=/dashboard/",
        "  GET /login/?next=%2Fdashboard%2F 200",
        "Redirect chain: /login/?next=/dashboard/ (302)",
        "Page text: 'Home Search Log in Sign up Log in Username: Password: Log in'",
    ]


def test_a_failed_assertion_on_a_post_tells_its_form_errors_and_what_was_sent(fast_hasher):
    client = KitClient()
    client.get("/login/")
    response = client.post(
        "/login/", {"username": "ann", "password": "Wrong-Pass-1", "remember": ["a", "b"]}
    )

    with pytest.raises(AssertionError) as excinfo:
        assert_redirects(response, "/dashboard/")

    message = str(excinfo.value)
    assert "Wrong-Pass-1" not in message
    assert message.splitlines()[1:6] == [
        "Requests:",
        "  GET /login/ 200",
        "  POST /login/ 200",
        "Form errors:",
        "  __all__: Please enter a correct username and password. Note that both fields may be "
        "case-sensitive.",
    ]
    assert message.splitlines()[6] == (
        "Submitted: username='ann', password='********', remember=['a', 'b']"
    )


def test_an_earlier_answer_tells_only_the_requests_up_to_it(fast_hasher):
    client = KitClient()
    home = client.get("/")
    client.get("/login/")
    client.get("/signup/")

    with pytest.raises(AssertionError) as excinfo:
        assert_contains(home, "Nowhere to be found")

    lines = str(excinfo.value).splitlines()
    assert lines[lines.index("Requests:") + 1 :] == [
        "  GET / 200",
        f"Page text: {page_text(home)!r}",
    ]


def test_an_answer_of_a_plain_client_tells_its_own_request(client):
    response = client.get("/login/?next=/dashboard/")

    with pytest.raises(AssertionError) as excinfo:
        assert_contains(response, "Welcome")

    lines = str(excinfo.value).splitlines()
    assert lines[lines.index("Requests:") + 1] == "  GET /login/?next=/dashboard/ 200"


def test_an_answer_made_by_hand_tells_its_page():
    with pytest.raises(AssertionError) as excinfo:
        assert_contains(HttpResponse("<p>Out of stock</p>"), "In stock")

    assert str(excinfo.value).splitlines()[-1] == "Page text: 'Out of stock'"


def test_an_async_post_tells_what_was_sent(fast_hasher):
    client = AsyncKitClient()
    response = async_to_sync(client.post)(
        "/login/", {"username": "ann", "password": "Wrong-Pass-1"}
    )

    with pytest.raises(AssertionError) as excinfo:
        assert_redirects(response, "/dashboard/", fetch_redirect_response=False)

    assert "Submitted: username='ann', password='********'" in str(excinfo.value).splitlines()


def test_a_browser_story_tells_every_hop_and_the_page_it_ended_on():
    hops = [
        PageResponse("POST", "http://testserver/login/", 302, "/dashboard/"),
        PageResponse("GET", "http://testserver/dashboard/", 302, "/welcome/"),
        PageResponse("GET", "http://testserver/welcome/", 200, None, b"<p>Hello, ann.</p>"),
    ]
    hops[0].kit_hops = hops

    submitted = {"username": "ann", "password": "pw-123", "answer": "Sesame-9"}
    message = story("login() failed.", [hops[0]], submitted, secrets=["Sesame-9"])

    assert message.splitlines() == [
        "login() failed.",
        "Requests:",
        "  POST /login/ 302 -> /dashboard/",
        "  GET /dashboard/ 302 -> /welcome/",
        "  GET /welcome/ 200",
        "Submitted: username='ann', password='********', answer='********'",
        "Page text: 'Hello, ann.'",
    ]


# Form errors a page shows without a form in its context


def test_form_errors_are_read_from_the_page_when_no_form_was_rendered():
    response = HttpResponse(
        "<!doctype html>"
        '<ul class="errorlist" id="id_email_error"><li> Enter a valid email address. </li></ul>'
        '<ul class="errorlist" id="login_error"><li>Try again.</li></ul>'
        '<ul class="errorlist"><li>Too many attempts.</li></ul>'
    )

    assert describe("t", [], response).splitlines()[3:6] == [
        "Form errors:",
        "  email: Enter a valid email address.",
        "  __all__: Try again.",
    ]
    assert describe("t", [], response).splitlines()[6] == "  __all__: Too many attempts."


def test_form_errors_are_read_from_a_browser_answer():
    answer = PageResponse(
        "POST",
        "http://testserver/signup/",
        200,
        None,
        b'<ul class="errorlist" id="id_username_error"><li>This field is required.</li></ul>',
    )

    assert describe("t", [], answer).splitlines()[3:5] == [
        "Form errors:",
        "  username: This field is required.",
    ]


class NewsletterForm(forms.Form):
    email = forms.EmailField()


def test_form_errors_come_from_the_bound_forms_the_page_rendered_each_once():
    bound = NewsletterForm({"email": "nope"})
    response = HttpResponse("<p>Check the form.</p>")
    response.context = Context({"search": NewsletterForm(), "form": bound})
    several = HttpResponse("<p>Check the form.</p>")
    several.context = ContextList([Context({"form": bound}), Context({"field": bound})])

    for page in (response, several):
        assert describe("t", [], page).splitlines()[3:] == [
            "Form errors:",
            "  email: Enter a valid email address.",
            "Page text: 'Check the form.'",
        ]


def test_form_errors_of_a_formset_name_each_field_and_the_formset_errors(client):
    page = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-title": "",
        "form-0-genre": "novel",
        "form-1-title": "Odes",
        "form-1-genre": "epic",
    }
    broken = client.post("/widgets/books/", page)
    no_management = client.post("/widgets/books/", {"form-0-title": "Dune"})

    assert describe("t", [], broken).splitlines()[3:6] == [
        "Form errors:",
        "  title: This field is required.",
        "  genre: Select a valid choice. epic is not one of the available choices.",
    ]
    assert describe("t", [], no_management).splitlines()[3:5] == [
        "Form errors:",
        "  __all__: ManagementForm data is missing or has been tampered with. Missing fields: "
        "form-TOTAL_FORMS, form-INITIAL_FORMS. You may need to file a bug report if the issue "
        "persists.",
    ]


def test_a_page_that_is_not_html_has_no_form_errors_to_read():
    response = HttpResponse('<ul class="errorlist"><li>x</li></ul>', content_type="text/plain")

    assert "Form errors:" not in describe("t", [], response)


# The page text


def test_the_page_text_is_the_visible_text_of_the_body():
    response = HttpResponse(
        "<html><head><title>Join</title></head><body><style>p { color: red }</style>"
        "<script>var secret = 1;</script><noscript>Turn on JavaScript.</noscript>"
        "<h1>Sign up</h1>\n\n   <p>Pick a   name</p><p>and a password</p></body></html>"
    )

    assert page_text(response) == "Sign up Pick a name and a password"


def test_the_page_text_of_a_page_that_is_not_html_is_its_body():
    response = HttpResponse(b"caf\xe9  \n ok", content_type="text/plain")

    assert page_text(response) == "caf\ufffd ok"
    assert page_text(HttpResponseNotModified()) == ""
    assert describe("t", [], HttpResponseNotModified()) == "t\nRequests:\n  (none recorded)"


def test_the_page_text_is_cut_after_600_characters():
    assert page_text(HttpResponse("x" * 600, content_type="text/plain")) == "x" * 600
    assert page_text(HttpResponse("y" * 601, content_type="text/plain")) == "y" * 600 + " …"


def test_the_page_text_of_a_browser_answer():
    answer = PageResponse("GET", "http://testserver/", 200, None, b"<p>Hello</p>")

    assert page_text(answer) == "Hello"


# Cookies


class Page:
    """A client that keeps no cookies of its own, like a browser page."""


def test_cookies_named_as_secrets_are_masked_and_others_shown(client):
    client.cookies["remember_token"] = "R3member-Me-1"
    client.cookies["theme"] = "dark-blue"
    session = requests.Session()
    session.cookies.set("sessionid", "not-a-morsel")
    pages = [Page() for _ in range(20)]
    for watched in [*pages, client, session]:
        watch(watched)

    assert mask("R3member-Me-1 dark-blue") == "******** dark-blue"


def test_a_renamed_session_cookie_is_masked(client, settings):
    settings.SESSION_COOKIE_NAME = "visit"
    client.cookies["visit"] = "Session-Key-77"
    watch(client)

    assert mask("Your session is Session-Key-77.") == "Your session is ********."


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
