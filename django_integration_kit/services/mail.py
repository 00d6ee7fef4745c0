"""``capture_emails``: the emails a block of code sent, read from Django's test outbox."""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.test.utils import TestContextDecorator

from django_integration_kit import _frames

if TYPE_CHECKING:
    from django.core.mail import EmailMessage
    from django.test.utils import override_settings

_frames.hide(globals())

__all__ = ["Outbox", "capture_emails"]

LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?*"
_CLOSING = {")": "(", "]": "[", "}": "{"}


class Outbox:
    """The emails sent while a :func:`capture_emails` block ran, and checks on them."""

    def __init__(self) -> None:
        from django.core import mail

        # Holding the earlier messages keeps their ids from being reused by new ones, so the
        # outbox stays right when a test clears or replaces ``mail.outbox`` inside the block.
        self._earlier = {id(message): message for message in getattr(mail, "outbox", [])}
        self._final: list[EmailMessage] | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        """Every email sent since the block began (until it ended), oldest first."""
        if self._final is not None:
            return list(self._final)
        from django.core import mail

        return [m for m in getattr(mail, "outbox", []) if id(m) not in self._earlier]

    @property
    def last(self) -> EmailMessage:
        """The latest email sent in the block; fails the test when none was."""
        messages = self.messages
        if not messages:
            raise AssertionError("No email was sent inside capture_emails().")
        return messages[-1]

    def links(self, message: EmailMessage | None = None) -> list[str]:
        """Every http(s) URL in the text and HTML bodies of ``message`` (default: of every
        email sent in the block), HTML entities decoded, each once, in order of appearance."""
        found: dict[str, None] = {}
        for sent in self.messages if message is None else [message]:
            for text, is_html in _bodies(sent):
                # Only HTML bodies are decoded: an "&amp;" in a plain-text body is what the
                # reader gets, so a test must see it to catch the broken link.
                for match in _URL.findall(html.unescape(text) if is_html else text):
                    url = _trim(match)
                    if urlsplit(url).netloc:
                        found.setdefault(url, None)
        return list(found)

    def assert_sent(
        self,
        *,
        to: str | Sequence[str] | None = None,
        subject: str | None = None,
        count: int | None = None,
        contains: str | None = None,
    ) -> list[EmailMessage]:
        """Assert that an email (exactly ``count`` emails, if given) matching every criterion
        was sent in the block; return the matching ones.

        ``to``: an address or addresses that must all be among the recipients (to, cc, bcc);
        ``subject``: the exact subject; ``contains``: text in the body or an alternative.
        """
        if to is None and subject is None and count is None and contains is None:
            raise TypeError(
                "assert_sent() needs at least one of to=, subject=, count= or contains=; "
                "pass count=1 to check that exactly one email was sent."
            )
        wanted = _addresses(to)
        for name, value in (("subject", subject), ("contains", contains)):
            if value is not None and not isinstance(value, str):
                raise TypeError(
                    f"assert_sent() takes {name}= a str, not {type(value).__name__} {value!r}."
                )
        if count is not None:
            _check_count(count)
        messages = self.messages
        matched = [m for m in messages if _matches(m, wanted, subject, contains)]
        if len(matched) == count or (count is None and matched):
            return matched
        from django_integration_kit._report import mask

        raise AssertionError(mask(_failure(messages, matched, wanted, subject, count, contains)))

    def __len__(self) -> int:
        return len(self.messages)

    def __iter__(self) -> Iterator[EmailMessage]:
        return iter(self.messages)

    def __repr__(self) -> str:
        return f"<Outbox: {_emails(len(self.messages))}>"

    def _close(self) -> None:
        self._final = self.messages
        self._earlier = {}


def _addresses(to: object) -> list[str]:
    if to is None:
        return []
    if isinstance(to, str):
        return [to]
    if isinstance(to, (list, tuple, set, frozenset)) and all(isinstance(a, str) for a in to):
        return list(to)
    raise TypeError(
        "assert_sent() takes to= an address or a list of addresses (str), not "
        f"{type(to).__name__} {to!r}; pass to='ann@example.com' or to=['ann@example.com', ...]."
    )


def _check_count(count: object) -> None:
    if isinstance(count, bool) or not isinstance(count, int):
        hint = f" Pass count={int(count)}." if isinstance(count, str) and count.isdigit() else ""
        raise TypeError(
            "assert_sent() takes count= a whole number of emails (an int), not "
            f"{type(count).__name__} {count!r}.{hint}"
        )
    if count < 0:
        raise ValueError(f"assert_sent() takes count= 0 or more emails, not {count}.")


class capture_emails(TestContextDecorator):
    """Collect the emails sent inside the block in an :class:`Outbox`.

    Reads Django's test outbox (``django.core.mail.outbox``). Outside Django's test runner,
    or when a mailer is not the locmem backend, it switches every mailer to locmem (``MAILERS``
    on Django 6.1+, ``EMAIL_BACKEND`` before) until the block ends. As a class decorator it
    captures per test; pass ``attr_name=`` (or ``kwarg_name=`` for a function) to receive the
    outbox.
    """

    def __init__(self, *, attr_name: str | None = None, kwarg_name: str | None = None) -> None:
        super().__init__(attr_name=attr_name, kwarg_name=kwarg_name)
        # A stack, so the same instance can be entered again while it is active.
        self._active: list[tuple[Outbox, ExitStack]] = []

    def enable(self) -> Outbox:
        from django.core import mail

        with ExitStack() as undo:
            override = _locmem_override()
            if override is not None:
                with _legacy_email_settings():
                    override.enable()
                undo.callback(_disable, override)
            if not hasattr(mail, "outbox"):
                mail.outbox = []
                undo.callback(delattr, mail, "outbox")
            outbox = Outbox()
            self._active.append((outbox, undo.pop_all()))
        return outbox

    def disable(self) -> None:
        outbox, undo = self._active.pop()
        outbox._close()
        undo.close()

    # django-stubs types the base's __enter__ for isolate_apps; this one yields the outbox.
    def __enter__(self) -> Outbox:  # type: ignore[override]
        return self.enable()


def _locmem_override() -> override_settings | None:
    """The settings override that sends every mailer's email to the test outbox, if needed."""
    from django.conf import settings
    from django.test.utils import override_settings

    mailers: dict[str, dict[str, Any]] | None = getattr(settings, "MAILERS", None)
    if mailers is not None:
        if all(config.get("BACKEND") == LOCMEM_BACKEND for config in mailers.values()):
            return None
        # The same override Django's test runner makes: locmem takes none of the OPTIONS.
        return override_settings(MAILERS={alias: {"BACKEND": LOCMEM_BACKEND} for alias in mailers})
    with _legacy_email_settings():
        if settings.EMAIL_BACKEND == LOCMEM_BACKEND:
            return None
    return override_settings(EMAIL_BACKEND=LOCMEM_BACKEND)


def _disable(override: override_settings) -> None:
    with _legacy_email_settings():
        override.disable()


@contextmanager
def _legacy_email_settings() -> Iterator[None]:
    # Django 6.1 warns when code outside Django reads or overrides EMAIL_BACKEND. A project
    # without MAILERS chose the old setting; the kit only mirrors the test runner's override.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The EMAIL_BACKEND setting is deprecated")
        yield


def _bodies(message: EmailMessage) -> Iterator[tuple[str, bool]]:
    """Each text body of ``message`` with whether it is HTML: the body, then alternatives."""
    yield _text(message.body), getattr(message, "content_subtype", "plain") == "html"
    for content, mimetype in getattr(message, "alternatives", []):
        if str(mimetype).startswith("text/"):
            yield _text(content), str(mimetype).startswith("text/html")


def _text(content: Any) -> str:
    if isinstance(content, bytes):
        return content.decode("utf-8", errors="replace")
    return str(content or "")


def _trim(url: str) -> str:
    """``url`` without the sentence punctuation or unmatched bracket that ends it in prose."""
    while url:
        last = url[-1]
        if last in _TRAILING_PUNCTUATION or (
            last in _CLOSING and url.count(last) > url.count(_CLOSING[last])
        ):
            url = url[:-1]
        else:
            break
    return url


def _address(value: str) -> str:
    return (parseaddr(value)[1] or value).strip().lower()


def _matches(
    message: EmailMessage, to: list[str], subject: str | None, contains: str | None
) -> bool:
    recipients = {_address(r) for r in message.recipients()}
    if any(_address(address) not in recipients for address in to):
        return False
    if subject is not None and message.subject != subject:
        return False
    if contains is not None:
        texts = [text for body, is_html in _bodies(message) for text in _readings(body, is_html)]
        return any(contains in text for text in texts)
    return True


def _readings(body: str, is_html: bool) -> list[str]:
    return [body, html.unescape(body)] if is_html else [body]


def _emails(count: int) -> str:
    return "1 email" if count == 1 else f"{count} emails"


def _failure(
    messages: list[EmailMessage],
    matched: list[EmailMessage],
    to: list[str],
    subject: str | None,
    count: int | None,
    contains: str | None,
) -> str:
    expected = ["an email" if count is None else _emails(count)]
    if to:
        expected.append("to " + ", ".join(to))
    if subject is not None:
        expected.append(f"with subject {subject!r}")
    if contains is not None:
        expected.append(f"containing {contains!r}")
    head = f"Expected {' '.join(expected)}, but "
    if not messages:
        return head + "no email was sent."
    found = "none" if not matched else str(len(matched))
    verb = "was" if len(messages) == 1 else "were"
    lines = [f"{head}{found} matched; {_emails(len(messages))} {verb} sent:"]
    lines.extend(f"  {n}. {_summary(m)}" for n, m in enumerate(messages, start=1))
    return "\n".join(lines)


def _summary(message: EmailMessage) -> str:
    parts = [f"to {', '.join(message.to) or '(nobody)'}"]
    if message.cc:
        parts.append(f"cc {', '.join(message.cc)}")
    if message.bcc:
        parts.append(f"bcc {', '.join(message.bcc)}")
    parts.append(f"subject {message.subject!r}")
    return "; ".join(parts)
