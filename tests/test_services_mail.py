import asyncio
import contextlib
import unittest
import warnings

import django
import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from django.test import SimpleTestCase, override_settings

from django_integration_kit import IntegrationTestCase, Outbox, block_network, capture_emails
from django_integration_kit.services.mail import LOCMEM_BACKEND

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
needs_mailers = pytest.mark.skipif(django.VERSION < (6, 1), reason="MAILERS is new in Django 6.1")


def send(subject="Hello", body="Hi there.", to=("ann@example.com",), **kwargs):
    EmailMessage(subject, body, "site@example.com", list(to), **kwargs).send()


def send_html(html, text="See the HTML part.", subject="Hello"):
    message = EmailMultiAlternatives(subject, text, "site@example.com", ["ann@example.com"])
    message.attach_alternative(html, "text/html")
    message.send()


# --- .messages and .last ---------------------------------------------------------------------


def test_messages_holds_only_what_the_block_sent():
    send(subject="Before")
    with capture_emails() as outbox:
        assert outbox.messages == []
        send(subject="Inside")
    send(subject="After")

    assert [m.subject for m in outbox.messages] == ["Inside"]
    assert len(outbox) == 1
    assert [m.subject for m in outbox] == ["Inside"]


def test_messages_survive_the_outbox_being_replaced_or_cleared_inside_the_block():
    send(subject="Before")
    with capture_emails() as outbox:
        mail.outbox = []
        send(subject="First")
        mail.outbox.clear()
        send(subject="Second")

    assert [m.subject for m in outbox.messages] == ["Second"]


def test_last_is_the_latest_email():
    with capture_emails() as outbox:
        send(subject="One")
        send(subject="Two")

    assert outbox.last.subject == "Two"


def test_last_fails_when_nothing_was_sent():
    with capture_emails() as outbox:
        pass

    with pytest.raises(AssertionError) as excinfo:
        outbox.last  # noqa: B018

    assert str(excinfo.value) == "No email was sent inside capture_emails()."


def test_an_outbox_made_outside_the_test_runner_is_empty(monkeypatch):
    monkeypatch.delattr(mail, "outbox")

    assert Outbox().messages == []


def test_repr_counts_the_emails():
    with capture_emails() as outbox:
        send()

    assert repr(outbox) == "<Outbox: 1 email>"


# --- .links() ----------------------------------------------------------------------------------


def test_links_reads_text_bodies_and_drops_sentence_punctuation():
    with capture_emails() as outbox:
        send(
            body=(
                "Confirm at https://shop.example/confirm/abc123/. Or see our terms "
                "(https://shop.example/terms), and http://shop.example/a_(b) too!\n"
                "Not a link: ftp://shop.example/file or /relative/path"
            )
        )

    assert outbox.links() == [
        "https://shop.example/confirm/abc123/",
        "https://shop.example/terms",
        "http://shop.example/a_(b)",
    ]


def test_links_reads_html_alternatives_with_entities_decoded():
    html = (
        '<p><a href="https://shop.example/confirm?token=a1&amp;list=weekly">Confirm</a></p>'
        '<img src="https://cdn.example/logo.png" alt="">'
        "<p>Or paste https://shop.example/confirm?token=a1&#38;list=weekly</p>"
    )
    with capture_emails() as outbox:
        send_html(html, text="Open https://shop.example/confirm?token=a1&list=weekly")

    assert outbox.links() == [
        "https://shop.example/confirm?token=a1&list=weekly",
        "https://cdn.example/logo.png",
    ]


def test_links_keeps_entities_of_a_plain_text_body_as_the_reader_sees_them():
    with capture_emails() as outbox:
        send(body="https://shop.example/confirm?token=a1&amp;list=weekly")

    assert outbox.links() == ["https://shop.example/confirm?token=a1&amp;list=weekly"]


def test_links_reads_an_html_main_body():
    message = EmailMessage(
        "Hi", '<a href="https://shop.example/?a=1&amp;b=2">x</a>', None, ["a@x.example"]
    )
    message.content_subtype = "html"
    with capture_emails() as outbox:
        message.send()

    assert outbox.links() == ["https://shop.example/?a=1&b=2"]


@pytest.mark.skipif(django.VERSION < (6, 0), reason="Django 5.2 cannot send a bytes alternative")
def test_links_reads_an_html_alternative_given_as_bytes():
    message = EmailMultiAlternatives("Menu", "See the HTML part.", None, ["ann@example.com"])
    message.attach_alternative("<p>Café: https://shop.example/menu</p>".encode(), "text/html")
    with capture_emails() as outbox:
        message.send()

    assert outbox.links() == ["https://shop.example/menu"]
    outbox.assert_sent(contains="Café")


def test_links_of_a_message_made_by_hand_reads_bytes_that_are_not_utf_8():
    message = EmailMultiAlternatives("Menu", "See the HTML part.", None, ["ann@example.com"])
    message.attach_alternative(
        "<p>Café: https://shop.example/menu</p>".encode("latin-1"), "text/html"
    )

    assert Outbox().links(message) == ["https://shop.example/menu"]


def test_links_of_one_message_or_of_all():
    with capture_emails() as outbox:
        send(body="https://one.example/")
        send(body="https://two.example/ and https://one.example/")

    assert outbox.links() == ["https://one.example/", "https://two.example/"]
    assert outbox.links(outbox.messages[1]) == ["https://two.example/", "https://one.example/"]


def test_a_link_from_links_can_be_followed_at_once(client):
    with capture_emails() as outbox:
        send(body="Log in at http://testserver/login/.")

    assert client.get(outbox.links()[0]).status_code == 200


# --- .assert_sent() ----------------------------------------------------------------------------


def test_assert_sent_passes_and_returns_the_matches():
    with capture_emails() as outbox:
        send(subject="Welcome", to=["Ann <Ann@Example.com>"], cc=["boss@example.com"])
        send(subject="Receipt", body="Total: 12 EUR", to=["bob@example.com"])

    assert outbox.assert_sent(to="ann@example.com") == outbox.messages[:1]
    assert outbox.assert_sent(to=["ann@example.com", "boss@example.com"], subject="Welcome")
    assert outbox.assert_sent(contains="12 EUR", count=1) == outbox.messages[1:]
    assert len(outbox.assert_sent(count=2)) == 2
    assert outbox.assert_sent(subject="Nope", count=0) == []


def test_assert_sent_contains_reads_html_alternatives_decoded():
    with capture_emails() as outbox:
        send_html("<p>Tom &amp; Jerry</p>")

    outbox.assert_sent(contains="Tom & Jerry")
    outbox.assert_sent(contains="Tom &amp; Jerry")


def test_assert_sent_contains_reads_a_plain_text_body_as_it_is():
    with capture_emails() as outbox:
        send(body="Tom &amp; Jerry")
        send(subject="Empty", body="")

    outbox.assert_sent(contains="Tom &amp; Jerry", count=1)
    outbox.assert_sent(contains="Tom & Jerry", count=0)
    # An email without a body contains no text at all.
    outbox.assert_sent(subject="Empty", contains="X", count=0)


def test_assert_sent_fails_listing_what_was_sent():
    with capture_emails() as outbox:
        send(subject="Welcome", to=["bob@example.com"])
        send(
            subject="Receipt",
            to=["ann@example.com"],
            cc=["boss@example.com"],
            bcc=["log@x.example"],
        )

    with pytest.raises(AssertionError) as excinfo:
        outbox.assert_sent(to="ann@example.com", subject="Welcome", contains="secret-token")

    assert str(excinfo.value).splitlines() == [
        "Expected an email to ann@example.com with subject 'Welcome' containing 'secret-token', "
        "but none matched; 2 emails were sent:",
        "  1. to bob@example.com; subject 'Welcome'",
        "  2. to ann@example.com; cc boss@example.com; bcc log@x.example; subject 'Receipt'",
    ]


def test_assert_sent_fails_listing_every_recipient():
    with capture_emails() as outbox:
        send(
            subject="Team",
            to=["ann@example.com", "bob@example.com"],
            cc=["cy@example.com", "di@example.com"],
            bcc=["log@x.example", "audit@x.example"],
        )
        send(subject="Quiet", to=[], bcc=["log@x.example"])

    with pytest.raises(AssertionError) as excinfo:
        outbox.assert_sent(to=["ann@example.com", "eve@example.com"])

    assert str(excinfo.value).splitlines() == [
        "Expected an email to ann@example.com, eve@example.com, but none matched; 2 emails were "
        "sent:",
        "  1. to ann@example.com, bob@example.com; cc cy@example.com, di@example.com; "
        "bcc log@x.example, audit@x.example; subject 'Team'",
        "  2. to (nobody); bcc log@x.example; subject 'Quiet'",
    ]


def test_assert_sent_fails_on_the_wrong_count():
    with capture_emails() as outbox:
        send(subject="Welcome")

    with pytest.raises(AssertionError) as excinfo:
        outbox.assert_sent(subject="Welcome", count=2)

    assert str(excinfo.value).splitlines() == [
        "Expected 2 emails with subject 'Welcome', but 1 matched; 1 email was sent:",
        "  1. to ann@example.com; subject 'Welcome'",
    ]


def test_assert_sent_fails_when_nothing_was_sent():
    with capture_emails() as outbox:
        pass

    with pytest.raises(AssertionError) as excinfo:
        outbox.assert_sent(to="ann@example.com", count=1)

    assert str(excinfo.value) == "Expected 1 email to ann@example.com, but no email was sent."


def test_assert_sent_count_zero_fails_when_one_was_sent():
    with capture_emails() as outbox:
        send()

    with pytest.raises(AssertionError) as excinfo:
        outbox.assert_sent(count=0)

    assert str(excinfo.value).splitlines()[0] == (
        "Expected 0 emails, but 1 matched; 1 email was sent:"
    )


def test_assert_sent_without_criteria_is_an_error():
    with capture_emails() as outbox:
        send()

    with pytest.raises(TypeError) as excinfo:
        outbox.assert_sent()

    assert str(excinfo.value) == (
        "assert_sent() needs at least one of to=, subject=, count= or contains=; "
        "pass count=1 to check that exactly one email was sent."
    )


# --- the mail backend, with and without the test runner's setup --------------------------------


@pytest.fixture
def no_test_outbox(monkeypatch):
    """The world outside Django's test runner: no mail.outbox. Should the switch to locmem
    fail, the blocked network stops the SMTP backend before it looks up a host."""
    monkeypatch.delattr(mail, "outbox")
    with block_network():
        yield


@needs_mailers
def test_mailers_that_are_not_locmem_are_switched_and_restored(settings, no_test_outbox):
    configured = {
        "default": {"BACKEND": SMTP_BACKEND, "OPTIONS": {"host": "smtp.invalid"}},
        "bulk": {"BACKEND": SMTP_BACKEND},
    }
    settings.MAILERS = configured

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with capture_emails() as outbox:
            assert django_settings.MAILERS == {
                "default": {"BACKEND": LOCMEM_BACKEND},
                "bulk": {"BACKEND": LOCMEM_BACKEND},
            }
            send(subject="Default")
            send_mail("Bulk", "Body", None, ["ann@example.com"], using="bulk")

    assert [m.subject for m in outbox.messages] == ["Default", "Bulk"]
    assert django_settings.MAILERS is configured
    assert not hasattr(mail, "outbox")


@needs_mailers
def test_locmem_mailers_are_left_as_they_are(settings):
    configured = {"default": {"BACKEND": LOCMEM_BACKEND}, "bulk": {"BACKEND": LOCMEM_BACKEND}}
    settings.MAILERS = configured
    outbox_list = mail.outbox

    with capture_emails():
        assert django_settings.MAILERS is configured

    assert mail.outbox is outbox_list


@contextlib.contextmanager
def quiet_legacy_settings():
    """Django 6.1 warns on every use of EMAIL_BACKEND from outside Django, tests included."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The EMAIL_BACKEND setting is deprecated")
        yield


@pytest.fixture
def legacy_smtp_backend():
    """A project still on EMAIL_BACKEND, with the SMTP backend."""
    override = override_settings(EMAIL_BACKEND=SMTP_BACKEND)
    with quiet_legacy_settings():
        override.enable()
        if hasattr(django_settings, "MAILERS"):
            del django_settings.MAILERS
    yield
    with quiet_legacy_settings():
        override.disable()


def email_backend():
    with quiet_legacy_settings():
        return django_settings.EMAIL_BACKEND


def test_an_email_backend_that_is_not_locmem_is_switched_and_restored(
    legacy_smtp_backend, no_test_outbox
):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with capture_emails() as outbox:
            assert email_backend() == LOCMEM_BACKEND
            send(subject="Legacy")

    assert [m.subject for m in outbox.messages] == ["Legacy"]
    assert email_backend() == SMTP_BACKEND
    assert not hasattr(mail, "outbox")


def test_the_backend_is_restored_when_the_block_raises(legacy_smtp_backend, no_test_outbox):
    with pytest.raises(ValueError), capture_emails():
        send()
        raise ValueError("boom")

    assert email_backend() == SMTP_BACKEND
    assert not hasattr(mail, "outbox")


def test_the_test_runners_outbox_is_used_as_it_is():
    outbox_list = mail.outbox

    with capture_emails() as outbox:
        send()

    assert mail.outbox is outbox_list
    assert outbox.messages == outbox_list[-1:]


# --- every way to use it -----------------------------------------------------------------------


def test_one_instance_can_be_entered_twice():
    capture = capture_emails()
    with capture as outer:
        send(subject="Outer")
        with capture as inner:
            send(subject="Inner")

    assert [m.subject for m in outer.messages] == ["Outer", "Inner"]
    assert [m.subject for m in inner.messages] == ["Inner"]


def test_decorates_a_function():
    @capture_emails(kwarg_name="outbox")
    def sends(outbox):
        send(subject="Sync")
        return outbox

    outbox = sends()

    assert isinstance(outbox, Outbox)
    assert [m.subject for m in outbox.messages] == ["Sync"]


def test_decorates_a_coroutine_function():
    @capture_emails(kwarg_name="outbox")
    async def sends(outbox):
        await asyncio.sleep(0)
        send(subject="Async")
        return outbox

    outbox = asyncio.run(sends())

    assert [m.subject for m in outbox.messages] == ["Async"]


def test_decorates_a_test_case_class():
    @capture_emails(attr_name="outbox")
    class Decorated(SimpleTestCase):
        def test_first(self):
            send(subject="First")
            self.outbox.assert_sent(subject="First", count=1)

        def test_second(self):
            self.outbox.assert_sent(count=0)

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Decorated).run(result)

    assert result.errors == result.failures == []
    assert result.testsRun == 2


class KitMethodTests(IntegrationTestCase):
    def test_capture_emails_is_a_method(self):
        with self.capture_emails() as outbox:
            send(subject="From a kit test")

        outbox.assert_sent(subject="From a kit test", count=1)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"count": "1"},
            TypeError,
            "assert_sent() takes count= a whole number of emails (an int), not str '1'. "
            "Pass count=1.",
        ),
        ({"count": -1}, ValueError, "assert_sent() takes count= 0 or more emails, not -1."),
        (
            {"to": 123},
            TypeError,
            "assert_sent() takes to= an address or a list of addresses (str), not int 123; pass "
            "to='ann@example.com' or to=['ann@example.com', ...].",
        ),
        ({"subject": 5}, TypeError, "assert_sent() takes subject= a str, not int 5."),
        ({"contains": 5}, TypeError, "assert_sent() takes contains= a str, not int 5."),
        (
            {"count": "one"},
            TypeError,
            "assert_sent() takes count= a whole number of emails (an int), not str 'one'.",
        ),
        (
            {"count": 1.0},
            TypeError,
            "assert_sent() takes count= a whole number of emails (an int), not float 1.0.",
        ),
    ],
)
def test_assert_sent_refuses_bad_arguments_naming_them(kwargs, error, message):
    with capture_emails() as outbox:
        send()

    with pytest.raises(error) as excinfo:
        outbox.assert_sent(**kwargs)

    assert str(excinfo.value) == message


def test_assert_sent_masks_secrets_in_subjects():
    with capture_emails() as outbox:
        send(subject="Reset at https://example.com/reset/?token=Mail-Secret-1")

    with pytest.raises(AssertionError) as excinfo:
        outbox.assert_sent(subject="Welcome")

    assert "Mail-Secret-1" not in str(excinfo.value)
    assert "subject 'Reset at https://example.com/reset/?token=********'" in str(excinfo.value)
