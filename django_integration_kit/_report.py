"""Failure messages: what happened, in order, with secrets masked."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from django_integration_kit import _frames
from django_integration_kit.client import Exchange, exchange_of

_frames.hide(globals())

MASK = "********"
EXCERPT_CHARS = 600
_SECRET_NAME = re.compile(r"pass|secret|token|csrf|api.?key|otp", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def is_secret_name(name: str) -> bool:
    """Whether a field called ``name`` holds something a message must not show."""
    return bool(_SECRET_NAME.search(name))


def mask(text: str, secrets: Iterable[object]) -> str:
    """``text`` with every secret replaced by a mask, longest first."""
    strings = {s for s in secrets if isinstance(s, str) and len(s) >= 3}
    for secret in sorted(strings, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def page_text(response: Any) -> str:
    """The visible text of an HTML response, whitespace collapsed, cut to an excerpt."""
    content_type = response.headers.get("Content-Type", "")
    body = getattr(response, "content", b"") if not getattr(response, "streaming", False) else b""
    if "html" not in content_type:
        text = body.decode(errors="replace")
    else:
        tree = LexborHTMLParser(body)
        tree.strip_tags(["script", "style", "noscript"])
        root = tree.body or tree.root
        text = root.text(separator=" ") if root is not None else ""
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + " …"


def form_errors(response: Any) -> list[tuple[str, str]]:
    """``(field, message)`` for every error of a bound form the response rendered."""
    errors = _context_form_errors(response)
    return errors if errors else _html_form_errors(response)


def _context_form_errors(response: Any) -> list[tuple[str, str]]:
    from django.forms import BaseForm, BaseFormSet

    context = getattr(response, "context", None)
    if context is None:
        return []
    contexts = context if isinstance(context, list) else [context]
    seen: list[Any] = []
    errors: list[tuple[str, str]] = []
    for ctx in contexts:
        values = ctx.flatten().values() if hasattr(ctx, "flatten") else []
        for value in values:
            if not isinstance(value, (BaseForm, BaseFormSet)) or any(v is value for v in seen):
                continue
            seen.append(value)
            if not value.is_bound:
                continue
            forms = value.forms if isinstance(value, BaseFormSet) else [value]
            if isinstance(value, BaseFormSet):
                errors.extend(("__all__", str(e)) for e in value.non_form_errors())
            for form in forms:
                for name, messages in form.errors.items():
                    errors.extend((name, str(message)) for message in messages)
    return errors


def _html_form_errors(response: Any) -> list[tuple[str, str]]:
    if "html" not in response.headers.get("Content-Type", ""):
        return []
    tree = LexborHTMLParser(response.content)
    errors: list[tuple[str, str]] = []
    for node in tree.css(".errorlist"):
        ident = node.attributes.get("id") or ""
        name = ident[3:-6] if ident.startswith("id_") and ident.endswith("_error") else "__all__"
        errors.extend((name, item.text(strip=True)) for item in node.css("li"))
    return errors


def describe(
    title: str,
    exchanges: Sequence[Exchange],
    response: Any = None,
    submitted: dict[str, Any] | None = None,
    secrets: Iterable[str] = (),
    errors: list[tuple[str, str]] | None = None,
) -> str:
    """A failure message: the title, the requests, form errors (``errors``, else those the
    response rendered), what was sent, the page."""
    lines = [title, "Requests:"]
    lines.extend(f"  {exchange}" for exchange in exchanges)
    if not exchanges:
        lines.append("  (none recorded)")
    if response is not None:
        chain = getattr(response, "redirect_chain", None)
        if chain:
            lines.append(
                "Redirect chain: " + " -> ".join(f"{url} ({code})" for url, code in chain)
            )
    if errors is None and response is not None:
        errors = form_errors(response)
    if errors:
        lines.append("Form errors:")
        lines.extend(f"  {name}: {message}" for name, message in errors)
    if submitted:
        shown = {
            name: MASK if is_secret_name(name) else value for name, value in submitted.items()
        }
        lines.append("Submitted: " + ", ".join(f"{k}={v!r}" for k, v in shown.items()))
    text = page_text(response) if response is not None else ""
    if text:
        lines.append(f"Page text: {text!r}")
    return mask("\n".join(lines), secrets)


def hops(responses: Iterable[Any]) -> list[Any]:
    """Every answer behind ``responses``, in order: a browser's answer carries the redirects it
    followed as ``kit_hops``; a test client's answer is one hop."""
    return [
        hop for response in responses for hop in getattr(response, "kit_hops", None) or [response]
    ]


def story(
    title: str,
    responses: Sequence[Any],
    submitted: dict[str, Any] | None = None,
    secrets: Iterable[str] = (),
) -> str:
    """:func:`describe` for the answers a flow got: every hop, and the page it ended on."""
    answers = hops(responses)
    return describe(title, [exchange_of(r) for r in answers], answers[-1], submitted, secrets)


def assertion_story(
    message: str, response: Any = None, *, client: Any = None, form: Any = None
) -> str:
    """A failed assertion's ``message``, then the story of ``response``: the requests that led
    to it (the kit client's history, else the response's own exchange), its form errors (or
    ``form``'s), what its request submitted, secrets masked, and the page."""
    client = getattr(response, "client", None) or client
    if response is None:
        response = getattr(client, "last_response", None)
    if form is not None:
        data = form.data if form.is_bound else {}
        submitted = _flat(data.lists()) if hasattr(data, "lists") else dict(data)
        errors: list[tuple[str, str]] | None = [
            (name, str(error)) for name, messages in form.errors.items() for error in messages
        ]
    else:
        submitted, errors = _posted(response), None
    secrets = [
        value
        for name, values in submitted.items()
        if is_secret_name(name)
        for value in (values if isinstance(values, list) else [values])
    ]
    return describe(
        message, _exchanges_to(response, client), response, submitted, secrets, errors=errors
    )


def _exchanges_to(response: Any, client: Any) -> list[Exchange]:
    """The client's recorded requests up to the one ``response`` answered."""
    history = list(getattr(client, "history", None) or ())
    if response is None:
        return history
    if not history:
        return [exchange_of(response)]
    if response is not getattr(client, "last_response", None):
        own = exchange_of(response)
        for index in range(len(history) - 1, -1, -1):
            if history[index] == own:
                return history[: index + 1]
    return history


def _posted(response: Any) -> dict[str, Any]:
    request = getattr(response, "wsgi_request", None) or getattr(response, "asgi_request", None)
    if request is None or request.method != "POST":
        return {}
    try:
        return _flat(request.POST.lists())
    except Exception:  # a view that read the raw body leaves no POST to parse; tell the rest
        return {}


def _flat(lists: Iterable[tuple[str, list[Any]]]) -> dict[str, Any]:
    return {name: values[0] if len(values) == 1 else values for name, values in lists}
