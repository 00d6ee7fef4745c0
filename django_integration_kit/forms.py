"""HTML forms read from a response and submitted the way a browser submits them.

Reading the HTML is ``_form_html``'s job; this module chooses the form and the button, types
the values in (checking them as a browser would) and sends the submission.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from django_integration_kit import _frames, _report
from django_integration_kit._form_html import (
    CHOICE_KINDS,
    NEVER_SENT,
    SPECIAL_KINDS,
    SUBMIT_KINDS,
    page_tree,
    read_forms,
)
from django_integration_kit._form_html import CSRF_FIELD as CSRF_FIELD
from django_integration_kit._form_html import HtmlForm as HtmlForm
from django_integration_kit._form_html import SubmitButton as SubmitButton
from django_integration_kit._form_html import parse_forms as parse_forms
from django_integration_kit._steps import Request, Submit, run, single
from django_integration_kit.client import exchange_of

_frames.hide(globals())


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


_ROW_NUMBER = re.compile(r"-(\d+)-")
_MULTIPART = "multipart/form-data"


def page_path(response: Any) -> str:
    """The path (with query string) of the page that ``response`` answered."""
    return exchange_of(response).path


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
        return _select(forms, where, selector, lambda: LexborHTMLParser(html))
    if prefer is not None:
        return min(forms, key=prefer)
    if len(forms) > 1:
        raise AssertionError(
            f"{where} has {len(forms)} forms; pass selector= to pick one of: "
            + ", ".join(form.describe() for form in forms)
            + "."
        )
    return forms[0]


def _select(
    forms: list[HtmlForm],
    where: str,
    selector: str,
    tree_of: Callable[[], LexborHTMLParser],
) -> HtmlForm:
    # Labels are unique selectors of their page, so one needs no CSS matching (or second parse).
    for form in forms:
        if form.label == selector:
            return form
    tree = tree_of()
    try:
        matches = tree.css(selector)
    except Exception as error:  # selectolax's SelectolaxError; older releases raise others
        reason = str(error).rstrip(".") or type(error).__name__
        raise AssertionError(
            f"Selector {selector!r} is not valid CSS: {reason}; pass a CSS selector or one of "
            f"the labels of the forms on {where}: " + ", ".join(form.label for form in forms) + "."
        ) from None
    all_nodes = tree.css("form")
    by_id = {node.attributes.get("id"): i for i, node in reversed(list(enumerate(all_nodes)))}
    position = {node.mem_id: i for i, node in enumerate(all_nodes)}
    indexes: set[int] = set()
    for match in matches:
        if match.tag == "form":
            indexes.add(position[match.mem_id])
            continue
        if "form" in match.attributes and match.attributes["form"] in by_id:
            indexes.add(by_id[match.attributes["form"]])
            continue
        inner = match.css("form")
        indexes.update(position[node.mem_id] for node in inner)
        if not inner:
            parent = match.parent
            while parent is not None and parent.tag != "form":
                parent = parent.parent
            if parent is not None:
                indexes.add(position[parent.mem_id])
    if not indexes:
        raise AssertionError(
            f"No form matches selector {selector!r} on {where}; its forms are: "
            + (", ".join(form.describe() for form in forms))
            + "."
        )
    if len(indexes) > 1:
        raise AssertionError(
            f"Selector {selector!r} matches {len(indexes)} forms on {where}: "
            + ", ".join(forms[i].describe() for i in sorted(indexes))
            + "; make it name one."
        )
    return forms[indexes.pop()]


def choose_button(
    form: HtmlForm, button: str | None, data: Mapping[str, Any]
) -> SubmitButton | None:
    """The submit button a submission clicks: ``button`` (a name, value or text), the one a key
    of ``data`` names, else the first enabled one; None when the form has none to click."""
    if not form.buttons:
        if button is not None:
            _press(form, button)
        return None
    if button is None:
        for candidate in form.buttons:
            if candidate.name and candidate.name in data:
                break
        else:
            return _first_enabled(form.buttons)
    names = {candidate.name for candidate in form.buttons if candidate.name}
    keys = [key for key in data if key in names]
    if keys and button is not None:
        raise AssertionError(
            f"Both button={button!r} and the field {keys[0]!r} choose a submit button of "
            f"{form.called}; a browser clicks one, so pass only one of them."
        )
    if len(keys) > 1:
        raise AssertionError(
            f"The fields {keys[0]!r} and {keys[1]!r} both name submit buttons of "
            f"{form.called}; a browser clicks one, so pass only one of them."
        )
    if keys:
        return _click(form, keys[0], data[keys[0]])
    if button is not None:
        return _press(form, button)
    return _first_enabled(form.buttons)


def _first_enabled(buttons: list[SubmitButton]) -> SubmitButton | None:
    for candidate in buttons:
        if not candidate.disabled:
            return candidate
    return None


def _click(form: HtmlForm, name: str, value: Any) -> SubmitButton:
    named = [candidate for candidate in form.buttons if candidate.name == name]
    listing = ", ".join(candidate.describe() for candidate in named)
    if value is True:
        if len({candidate.value for candidate in named}) > 1:
            raise AssertionError(
                f"{_capital(form.called)} has {len(named)} submit buttons named {name!r}; pass "
                f"{name}= the value or text of the one to click: {listing}."
            )
        return _enabled(form, named)
    wanted = str(value)
    chosen = [candidate for candidate in named if candidate.value == wanted] or [
        candidate for candidate in named if candidate.text == wanted
    ]
    if not chosen:
        raise AssertionError(
            f"{_capital(form.called)} has no submit button named {name!r} with the value or text "
            f"{value!r}; pass {name}=True or the value or text of one of: {listing}."
        )
    return _enabled(form, chosen)


def _press(form: HtmlForm, button: str) -> SubmitButton:
    listing = ", ".join(candidate.describe() for candidate in form.buttons)
    if not form.buttons:
        raise AssertionError(
            f"{_capital(form.called)} has no submit button; leave out button={button!r} to submit it "
            "the way pressing Enter does."
        )
    chosen = [c for c in form.buttons if button in (c.name, c.value, c.text)]
    if not chosen:
        raise AssertionError(
            f"{_capital(form.called)} has no submit button {button!r}; pass button= the name, value or "
            f"text of one of its buttons: {listing}."
        )
    if len({(c.name, c.value, c.type) for c in chosen}) > 1:
        raise AssertionError(
            f"button={button!r} matches {len(chosen)} submit buttons of {form.called}: "
            + ", ".join(candidate.describe() for candidate in chosen)
            + "; pass a name, value or text that only one of them has."
        )
    return _enabled(form, chosen)


def _enabled(form: HtmlForm, chosen: list[SubmitButton]) -> SubmitButton:
    for candidate in chosen:
        if not candidate.disabled:
            return candidate
    raise AssertionError(
        f"Submit button {chosen[0].describe()} of {form.called} is disabled, so a browser "
        "cannot click it; enable it in the page or choose another button."
    )


def fill(
    form: HtmlForm, data: Mapping[str, Any], button: SubmitButton | None = None
) -> dict[str, Any]:
    """What the browser sends after the user typed ``data`` into ``form`` and clicked ``button``.

    Without ``button``, :func:`choose_button` picks it (the one a key of ``data`` names, else the
    first enabled one: what pressing Enter clicks). Options given by visible text become values.
    """
    if button is None:
        button = choose_button(form, None, data)
    payload: dict[str, list[Any]] = {name: list(values) for name, values in form.values.items()}
    types, locked = form.types, form.locked
    for name, value in data.items():
        kind = types.get(name)
        if kind in SUBMIT_KINDS:
            continue
        if kind is not None and (not locked or name not in locked):
            # Typing text or an offered value, most of what tests do, needs no more checks.
            if value.__class__ is str:
                if kind not in SPECIAL_KINDS or (
                    kind in CHOICE_KINDS and value in form.options.get(name, ())
                ):
                    payload[name] = [value]
                    continue
            elif value is True and kind == "checkbox" and name in form.options:
                payload[name] = form.options[name][:1]
                continue
        template = name if kind is not None else _row_template(form, name, data)
        typed = _typed(form, name, template, value)
        if typed:
            payload[name] = typed
        else:
            payload.pop(name, None)
    if button is not None:
        if button.type == "submit":
            if button.name:
                payload.setdefault(button.name, []).append(button.value)
        else:
            for name, value in button.fields().items():
                payload.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in payload.items()}


def _typed(form: HtmlForm, name: str, template: str, value: Any) -> list[Any]:
    """The values ``value`` puts in the submission for field ``name`` (shaped like ``template``)."""
    kind = form.types[template]
    if kind in NEVER_SENT:
        raise AssertionError(
            f"Field {name!r} of {form.called} is a button of type {kind!r}, which a browser "
            "never sends; leave it out."
        )
    locked = form.locked.get(template)
    if locked is not None:
        raise AssertionError(
            f"Field {name!r} of {form.called} is {locked}, so a browser cannot change it; "
            f"leave it out, or remove the {locked} attribute in the page."
        )
    if value is None or value is False:
        return []
    many = isinstance(value, (list, tuple))
    items = list(value) if many else [value]
    if kind == "file":
        return _files(form, name, template, items, many)
    if kind in CHOICE_KINDS:
        single = kind == "radio" or (kind == "select" and template not in form.multiple)
        if many and len(items) != 1 and single:
            what = "a radio group" if kind == "radio" else "a <select> without multiple"
            raise AssertionError(
                f"Field {name!r} of {form.called} takes one value ({what}); "
                f"pass one of its options, not {value!r}."
            )
        if value is True:
            return _offered(form, template)[:1] or [_option(form, name, template, True)]
        return [_option(form, name, template, item) for item in items]
    if value is True:
        return ["on"]
    return [item if hasattr(item, "read") else str(item) for item in items]


def _offered(form: HtmlForm, template: str) -> list[str]:
    return form.options.get(template, [])


def _option(form: HtmlForm, name: str, template: str, item: Any) -> str:
    wanted = str(item)
    values = _offered(form, template)
    if wanted in values:
        return wanted
    texts = form.option_texts(template)
    by_text = list(
        dict.fromkeys(v for v, text in zip(values, texts, strict=True) if text == wanted)
    )
    if len(by_text) == 1:
        return by_text[0]
    if by_text:
        raise AssertionError(
            f"Field {name!r} of {form.called} has {len(by_text)} options with the text "
            f"{wanted!r} ({', '.join(map(repr, by_text))}); pass the value of the one you mean."
        )
    if wanted in form.disabled_options.get(template, []):
        raise AssertionError(
            f"Option {wanted!r} of field {name!r} in {form.called} is disabled, so a "
            "browser cannot choose it; choose another option or enable it in the page."
        )
    listing = ", ".join(
        repr(v) if not text or text == v else f"{v!r} ({text})"
        for v, text in zip(values, texts, strict=True)
    )
    raise AssertionError(
        f"Field {name!r} of {form.called} has no option {item!r}; pass the value or text "
        f"of one of its options: {listing or '(none)'}."
    )


def _files(form: HtmlForm, name: str, template: str, items: list[Any], many: bool) -> list[Any]:
    if many and template not in form.multiple:
        raise AssertionError(
            f"Field {name!r} of {form.called} takes one file (its <input type=file> has no "
            "multiple attribute); pass one file, not a list."
        )
    for item in items:
        if not hasattr(item, "read"):
            raise AssertionError(
                f"Field {name!r} of {form.called} is a file input; pass an open file or a "
                f"django.core.files.uploadedfile.SimpleUploadedFile, not {item!r}."
            )
    if items and (form.method != "post" or form.enctype != _MULTIPART):
        raise AssertionError(
            f"{_capital(form.called)} ({form.method.upper()} {form.action}) would send only the "
            "names of its files: a browser uploads "
            f'files only with method="post" enctype="{_MULTIPART}"; add them to the <form>.'
        )
    return items


def _row_template(form: HtmlForm, name: str, data: Mapping[str, Any]) -> str:
    """The field a new formset row's ``name`` (``book_set-3-title``) copies, or a failure."""
    template = _formset_template(form, name, data)
    if template is not None:
        return template
    fields = ", ".join(form.names) or "(none)"
    raise AssertionError(
        f"Field {name!r} is not in {form.called}; its fields are: {fields}."
        + _did_you_mean(name, form.names)
    )


def _formset_template(form: HtmlForm, name: str, data: Mapping[str, Any]) -> str | None:
    """The field a formset row's ``name`` copies; None when ``name`` is in no formset of the
    form. Fails for a row past the formset's ``TOTAL_FORMS``."""
    for match in _ROW_NUMBER.finditer(name):
        prefix, rest = name[: match.start()], name[match.end() :]
        total_name = f"{prefix}-TOTAL_FORMS"
        if total_name not in form.types:
            continue
        for template in (f"{prefix}-__prefix__-{rest}", f"{prefix}-0-{rest}"):
            if template in form.types:
                total = _total(form, total_name, data)
                if int(match.group(1)) < total:
                    return template
                raise AssertionError(
                    f"Field {name!r} is in row {match.group(1)} of formset {prefix!r} in "
                    f"{form.called}, but {total_name} is {total}; add rows with "
                    "add_formset_rows()."
                )
    return None


def _did_you_mean(name: str, names: Iterable[str]) -> str:
    """`` Did you mean 'email'?`` for the closest of ``names`` to a mistyped ``name``, or ''."""
    import difflib

    close = difflib.get_close_matches(name, list(dict.fromkeys(names)), n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def _total(form: HtmlForm, total_name: str, data: Mapping[str, Any]) -> int:
    given = data.get(total_name, (form.values.get(total_name) or ["0"])[0])
    try:
        return int(str(given))
    except ValueError:
        raise AssertionError(
            f"Field {total_name!r} of {form.called} is {given!r}, not a number of rows."
        ) from None


def _knows(form: HtmlForm, name: str, data: Mapping[str, Any]) -> bool:
    if name in form.types:
        return True
    try:
        return _formset_template(form, name, data) is not None
    except AssertionError:
        return False


def add_formset_rows(
    page: Any, prefix: str, *rows: Mapping[str, Any], selector: str | None = None
) -> dict[str, Any]:
    """The data that adds ``rows`` to formset ``prefix`` of ``page`` (a response or HtmlForm).

    ``submit_form(client, page, **add_formset_rows(page, "book_set", {"title": "Dune"}))`` bumps
    ``TOTAL_FORMS`` and fills the new rows like admin's "Add another" (from its ``__prefix__`` row).
    """
    total_name = f"{prefix}-TOTAL_FORMS"
    form = page if isinstance(page, HtmlForm) else _form_with(page, total_name, prefix, selector)
    total = _total(form, total_name, {})
    maximum = (
        _total(form, f"{prefix}-MAX_NUM_FORMS", {})
        if f"{prefix}-MAX_NUM_FORMS" in form.values
        else None
    )
    if maximum is not None and total + len(rows) > maximum:
        raise AssertionError(
            f"Formset {prefix!r} in {form.called} takes at most {maximum} rows "
            f"({prefix}-MAX_NUM_FORMS) and has {total}, so a browser cannot add {len(rows)} more."
        )
    template = f"{prefix}-__prefix__-"
    if not any(name.startswith(template) for name in form.types):
        template = f"{prefix}-0-"
    fields = [name[len(template) :] for name in form.names if name.startswith(template)]
    if not fields:
        raise AssertionError(
            f"Formset {prefix!r} in {form.called} shows no row to copy (no {prefix}-0-... or "
            f"{prefix}-__prefix__-... fields); render formset.empty_form in the page."
        )
    data: dict[str, Any] = {total_name: str(total + len(rows))}
    copies_defaults = "__prefix__" in template
    for number, row in enumerate(rows, start=total):
        unknown = [key for key in row if key not in fields]
        if unknown:
            raise AssertionError(
                f"The rows of formset {prefix!r} in {form.called} have no field {unknown[0]!r}; "
                f"their fields are: {', '.join(fields)}."
            )
        for rest in fields:
            defaults = form.values.get(template + rest, []) if copies_defaults else []
            if rest in row:
                data[f"{prefix}-{number}-{rest}"] = row[rest]
            elif defaults:
                data[f"{prefix}-{number}-{rest}"] = defaults if len(defaults) > 1 else defaults[0]
    return data


def _form_with(response: Any, total_name: str, prefix: str, selector: str | None) -> HtmlForm:
    exchange = exchange_of(response)
    where = f"{exchange.method} {exchange.path}"
    forms = read_forms(response.content, exchange.path)
    if selector is not None:
        return _select(forms, where, selector, lambda: page_tree(response.content))
    holding = [form for form in forms if total_name in form.types]
    if not holding:
        prefixes = sorted(
            name[: -len("-TOTAL_FORMS")]
            for form in forms
            for name in form.names
            if name.endswith("-TOTAL_FORMS")
        )
        raise AssertionError(
            f"No form on {where} has a formset with prefix {prefix!r} (a field {total_name!r}); "
            f"the page's formset prefixes are: {', '.join(prefixes) or '(none)'}."
        )
    return choose_form(holding, where)


def send(form: HtmlForm, payload: Mapping[str, Any]) -> Request:
    """The request that submits ``payload`` with ``form``'s method and action."""
    if form.method == "post":
        if not form.has_csrf_token:
            raise AssertionError(
                f"{_capital(form.called)} ({form.method.upper()} {form.action}) posts without "
                "a CSRF token; "
                "add {% csrf_token %} inside the <form> element."
            )
        return Request("post", form.action, dict(payload))
    return Request("get", form.action.split("?", 1)[0], dict(payload))


def response_or_last(client: Any, response: Any, caller: str) -> Any:
    """``response``, or the client's last response when none was given; ``caller`` names the
    helper in the error when there is neither."""
    if response is None:
        response = getattr(client, "last_response", None)
    if response is None:
        raise TypeError(
            f"{caller}() needs a response: pass response=, or use the kit's client "
            "(IntegrationTestCase.client, the kit_client fixture), which remembers its last one."
        )
    return response


def response_of(client: Any, response: Any = None) -> Any:
    """``response``, or the client's last response when none was given: a test response."""
    response = response_or_last(client, response, "submit_form")
    if isinstance(response, (str, bytes)) or not hasattr(response, "content"):
        shown = _report.mask(repr(response)[:60] + ("…" if len(repr(response)) > 60 else ""))
        raise TypeError(
            "submit_form() takes as response= (its second argument) a response from a test "
            f"client, not {type(response).__name__} {shown}; pass the response of the "
            "page with the form (submit_form(client, response, '#form-id') picks a form by "
            "selector), or leave it out to use the kit client's last response."
        )
    return response


def submit_form(
    client: Any,
    response: Any = None,
    selector: str | None = None,
    *,
    button: str | None = None,
    **data: Any,
) -> Any:
    """Fill ``data`` into the form of ``response`` and submit it like a browser.

    ``button`` clicks the submit button with that name, value or text (default: the first one).
    Fails when a name in ``data`` is not a field of the form, a value is not one the page offers,
    a field is disabled or readonly, and when a POST form has no CSRF token. Returns the response
    to the submission (an awaitable with an ``AsyncClient``).
    """
    with _report.masked_errors(lambda: _report.form_secrets(data)):
        submission = _submission(response_of(client, response), selector, button, data)
    return run(client, lambda: single(submission))


def _submission(
    response: Any, selector: str | None, button: str | None, data: Mapping[str, Any]
) -> Submit:
    exchange = exchange_of(response)
    where = f"{exchange.method} {exchange.path}"
    content = response.content
    forms = read_forms(content, exchange.path)
    if not forms:
        raise AssertionError(f"No <form> on {where}.")
    # A value typed into any of the page's password fields is a secret, whatever its name.
    with _report.masked_errors(lambda: _report.form_secrets(data, forms)):
        if selector is not None:
            form = _select(forms, where, selector, lambda: page_tree(content))
        else:
            if len(forms) > 1:
                forms = _forms_for(forms, data, button, where)
            form = choose_form(forms, where)
        return submission(form, data, button)


def submission(
    form: HtmlForm,
    data: Mapping[str, Any],
    button: str | None = None,
    flow: str = "submit_form",
    secrets: Iterable[str] = (),
) -> Submit:
    """The step that submits ``form`` with ``data`` typed in and ``button`` clicked: the request
    a test client sends, and what a browser types and clicks."""
    given = tuple(secrets)
    with _report.masked_errors(lambda: [*given, *_report.form_secrets(data, [form])]):
        chosen = choose_button(form, button, data)
        payload = fill(form, data, chosen)
        request = send(form, payload)
    return Submit(request, form, data, payload, chosen, flow, given)


def _forms_for(
    forms: list[HtmlForm], data: Mapping[str, Any], button: str | None, where: str
) -> list[HtmlForm]:
    """The forms that could take ``data``; a POST form wins over GET forms such as a search box."""
    fitting = [form for form in forms if all(_knows(form, name, data) for name in data)]
    if not fitting:
        listing = "; ".join(f"{form.label}: {', '.join(form.names) or '(none)'}" for form in forms)
        missing = next(name for name in data if not any(_knows(f, name, data) for f in forms))
        raise AssertionError(
            f"Field {missing!r} is not in any form on {where}; the forms' fields are: {listing}."
            + _did_you_mean(missing, (n for form in forms for n in form.names))
        )
    if button is not None:
        pressing = [form for form in fitting if any(_names(b, button) for b in form.buttons)]
        if not pressing:
            listing = "; ".join(
                f"{form.label}: {', '.join(b.describe() for b in form.buttons) or '(none)'}"
                for form in fitting
            )
            raise AssertionError(
                f"No form on {where} has a submit button {button!r}; the forms' buttons are: "
                f"{listing}."
            )
        fitting = pressing
    posting = [form for form in fitting if form.method == "post"]
    return posting if len(posting) == 1 else fitting


def _names(candidate: SubmitButton, button: str) -> bool:
    return button in (candidate.name, candidate.value, candidate.text)
