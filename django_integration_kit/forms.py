"""HTML forms read from a response and submitted the way a browser submits them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from django_integration_kit._steps import Request, Steps, run
from django_integration_kit.client import exchange_of

CSRF_FIELD = "csrfmiddlewaretoken"
_BUTTON_TYPES = frozenset({"submit", "button", "image", "reset"})
_CONTROLS = "input, select, textarea, button"


@dataclass
class HtmlForm:
    """A form as a browser sees it: where it goes, how, and what it would send."""

    label: str
    action: str
    method: str
    enctype: str
    names: list[str] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    options: dict[str, list[str]] = field(default_factory=dict)

    @property
    def password_fields(self) -> list[str]:
        return [name for name in self.names if self.types.get(name) == "password"]

    @property
    def has_csrf_token(self) -> bool:
        return CSRF_FIELD in self.values

    def describe(self) -> str:
        return f"{self.label} ({self.method.upper()} {self.action})"


def page_path(response: Any) -> str:
    """The path (with query string) of the page that ``response`` answered."""
    return exchange_of(response).path


def parse_forms(html: str | bytes, base_path: str = "/") -> list[HtmlForm]:
    """Every ``<form>`` in ``html``, with actions made absolute against ``base_path``."""
    tree = LexborHTMLParser(html)
    nodes = tree.css("form")
    return [_read_form(node, index, len(nodes), base_path) for index, node in enumerate(nodes)]


def _label(attrs: dict[str, str | None], index: int, count: int) -> str:
    if attrs.get("id"):
        return f"#{attrs['id']}"
    if attrs.get("name"):
        return f"form[name={attrs['name']}]"
    if attrs.get("class"):
        return "form." + ".".join((attrs["class"] or "").split())
    return f"form {index + 1} of {count}" if count > 1 else "the form"


def _read_form(node: LexborNode, index: int, count: int, base_path: str) -> HtmlForm:
    attrs = node.attributes
    action = attrs.get("action") or ""
    absolute = urljoin(f"http://testserver{base_path}", action) if action else base_path
    parts = urlsplit(absolute)
    path = parts.path + (f"?{parts.query}" if parts.query else "") if parts.scheme else absolute
    form = HtmlForm(
        label=_label(attrs, index, count),
        action=path,
        method=(attrs.get("method") or "get").lower(),
        enctype=(attrs.get("enctype") or "application/x-www-form-urlencoded").lower(),
    )
    for control in node.css(_CONTROLS):
        _read_control(form, control)
    return form


def _read_control(form: HtmlForm, control: LexborNode) -> None:
    attrs = control.attributes
    name = attrs.get("name")
    if not name:
        return
    tag = control.tag
    kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
    if tag in ("select", "textarea"):
        kind = tag
    if name not in form.types:
        form.names.append(name)
        form.types[name] = kind
    if "required" in attrs and name not in form.required:
        form.required.append(name)
    if "disabled" in attrs or kind in _BUTTON_TYPES:
        return
    if kind == "select":
        options, chosen = [], []
        for option in control.css("option"):
            option_attrs = option.attributes
            value = option_attrs.get("value") or option.text(strip=True) or ""
            options.append(value)
            if "selected" in option_attrs:
                chosen.append(value)
        form.options[name] = options
        if not chosen and options and "multiple" not in attrs:
            chosen = [options[0]]
        form.values.setdefault(name, []).extend(chosen)
    elif kind in ("checkbox", "radio"):
        value = attrs.get("value") or "on"
        form.options.setdefault(name, []).append(value)
        if "checked" in attrs:
            form.values.setdefault(name, []).append(value)
    elif kind == "textarea":
        form.values.setdefault(name, []).append(control.text(deep=True))
    elif kind != "file":
        form.values.setdefault(name, []).append(attrs.get("value") or "")


def choose_form(
    forms: list[HtmlForm],
    where: str,
    selector: str | None = None,
    html: str | bytes = "",
    prefer: Callable[[HtmlForm], Any] | None = None,
) -> HtmlForm:
    """The form a caller means: the one ``selector`` names, the best by ``prefer``, or the only one."""
    if not forms:
        raise AssertionError(f"No <form> on {where}.")
    if selector is not None:
        return _select(forms, where, selector, html)
    if prefer is not None:
        return min(forms, key=prefer)
    if len(forms) > 1:
        raise AssertionError(
            f"{where} has {len(forms)} forms; pass selector= to pick one of: "
            + ", ".join(form.describe() for form in forms)
            + "."
        )
    return forms[0]


def _select(forms: list[HtmlForm], where: str, selector: str, html: str | bytes) -> HtmlForm:
    # A selector that is a form's label ("#signup") needs no second parse of the page.
    labelled = [form for form in forms if form.label == selector]
    if len(labelled) == 1:
        return labelled[0]
    tree = LexborHTMLParser(html)
    all_nodes = tree.css("form")
    wanted = []
    for match in tree.css(selector):
        if match.tag == "form":
            wanted.append(match)
            continue
        inner = match.css("form")
        wanted.extend(inner)
        if not inner:
            parent = match.parent
            while parent is not None and parent.tag != "form":
                parent = parent.parent
            if parent is not None:
                wanted.append(parent)
    indexes = sorted({i for i, node in enumerate(all_nodes) for w in wanted if node == w})
    if not indexes:
        raise AssertionError(
            f"No form matches selector {selector!r} on {where}; its forms are: "
            + (", ".join(form.describe() for form in forms))
            + "."
        )
    if len(indexes) > 1:
        raise AssertionError(
            f"Selector {selector!r} matches {len(indexes)} forms on {where}: "
            + ", ".join(forms[i].describe() for i in indexes)
            + "; make it name one."
        )
    return forms[indexes[0]]


def fill(form: HtmlForm, data: Mapping[str, Any]) -> dict[str, Any]:
    """What the browser would send after the user typed ``data`` into ``form``."""
    unknown = [name for name in data if name not in form.types]
    if unknown:
        fields = ", ".join(form.names) or "(none)"
        raise AssertionError(
            f"Field {unknown[0]!r} is not in form {form.label}; its fields are: {fields}."
        )
    payload: dict[str, Any] = {name: list(values) for name, values in form.values.items()}
    for name, value in data.items():
        kind = form.types[name]
        if value is None or value is False:
            payload.pop(name, None)
        elif value is True:
            choices = form.options.get(name) or ["on"]
            payload[name] = [choices[0] if kind in ("checkbox", "radio") else "on"]
        elif isinstance(value, (list, tuple)):
            payload[name] = [_as_value(item) for item in value]
        else:
            payload[name] = [_as_value(value)]
    return {name: values[0] if len(values) == 1 else values for name, values in payload.items()}


def _as_value(value: Any) -> Any:
    return value if hasattr(value, "read") else str(value)


def send(form: HtmlForm, payload: Mapping[str, Any]) -> Request:
    """The request that submits ``payload`` with ``form``'s method and action."""
    if form.method == "post":
        if not form.has_csrf_token:
            raise AssertionError(
                f"Form {form.describe()} posts without a CSRF token; "
                "add {% csrf_token %} inside the <form> element."
            )
        return Request("post", form.action, dict(payload))
    return Request("get", form.action.split("?", 1)[0], dict(payload))


def response_of(client: Any, response: Any = None) -> Any:
    """``response``, or the client's last response when none was given."""
    if response is None:
        response = getattr(client, "last_response", None)
    if response is None:
        raise TypeError(
            "submit_form() needs a response: pass response=, or use the kit's client "
            "(IntegrationTestCase.client, the kit_client fixture), which remembers its last one."
        )
    return response


def submit_form(
    client: Any, response: Any = None, selector: str | None = None, **data: Any
) -> Any:
    """Fill ``data`` into the form of ``response`` and submit it like a browser.

    Fails when a name in ``data`` is not a field of the form, and when a POST form has no
    CSRF token. Returns the response to the submission (an awaitable with an ``AsyncClient``).
    """
    request = _submission(response_of(client, response), selector, data)
    return run(client, lambda: _one_request(request))


def _one_request(request: Request) -> Steps[Any]:
    return (yield request)


def _submission(response: Any, selector: str | None, data: Mapping[str, Any]) -> Request:
    exchange = exchange_of(response)
    where = f"{exchange.method} {exchange.path}"
    html = response.content
    forms = parse_forms(html, exchange.path)
    if selector is None and len(forms) > 1:
        forms = _forms_for(forms, data, where)
    form = choose_form(forms, where, selector, html)
    return send(form, fill(form, data))


def _forms_for(forms: list[HtmlForm], data: Mapping[str, Any], where: str) -> list[HtmlForm]:
    """The forms that could take ``data``; a POST form wins over GET forms such as a search box."""
    fitting = [form for form in forms if all(name in form.types for name in data)]
    if not fitting:
        listing = "; ".join(f"{form.label}: {', '.join(form.names) or '(none)'}" for form in forms)
        missing = next(name for name in data if not any(name in f.types for f in forms))
        raise AssertionError(
            f"Field {missing!r} is not in any form on {where}; the forms' fields are: {listing}."
        )
    posting = [form for form in fitting if form.method == "post"]
    return posting if len(posting) == 1 else fitting
