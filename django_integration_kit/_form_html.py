"""What a browser reads from a page's HTML forms: their controls, values, options and submit
buttons, and a label for each that is a selector unique on its page."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from django_integration_kit import _frames

_frames.hide(globals())

CSRF_FIELD = "csrfmiddlewaretoken"
_CONTROLS = "input, select, textarea, button"
_CONTROL_TAGS = frozenset({"input", "select", "textarea", "button"})
# One walk over the page finds the forms and the two rarer things that change what they own.
_PAGE_PARTS = "form, [form], fieldset[disabled]"
SUBMIT_KINDS = frozenset({"submit", "image"})
NEVER_SENT = frozenset({"button", "reset"})
CHOICE_KINDS = frozenset({"select", "radio", "checkbox"})
_UNTYPED_KINDS = SUBMIT_KINDS | NEVER_SENT | {"hidden"}
SPECIAL_KINDS = SUBMIT_KINDS | NEVER_SENT | CHOICE_KINDS | {"textarea", "file"}
# HTML ignores readonly on checkboxes, selects, files and hidden inputs.
_READONLY_KINDS = frozenset(
    {"text", "search", "url", "tel", "email", "password", "number", "textarea"}
    | {"date", "month", "week", "time", "datetime-local"}
)
_IDENTIFIER = re.compile(r"-?[_a-zA-Z][_a-zA-Z0-9-]*")


@dataclass(frozen=True)
class SubmitButton:
    """A submit button of a form: ``<button>``, ``<input type=submit>`` or ``<input type=image>``."""

    name: str
    value: str
    text: str
    index: int
    disabled: bool
    type: str = "submit"

    def describe(self) -> str:
        """The button as failure messages list it: ``'Archive' (action=archive)``."""
        if self.type == "image":
            sent = f"{self.name}.x, {self.name}.y" if self.name else "x, y"
        else:
            sent = f"{self.name}={self.value}" if self.name else "no name"
        return f"{self.text!r} ({sent}{', disabled' if self.disabled else ''})"

    def fields(self) -> dict[str, str]:
        """What a click on the button adds to the submission."""
        if self.type == "image":
            # A browser sends where the image was clicked, never the value attribute.
            prefix = f"{self.name}." if self.name else ""
            return {f"{prefix}x": "0", f"{prefix}y": "0"}
        return {self.name: self.value} if self.name else {}


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
    index: int = 0
    id: str | None = None
    buttons: list[SubmitButton] = field(default_factory=list)
    disabled_options: dict[str, list[str]] = field(default_factory=dict)
    locked: dict[str, str] = field(default_factory=dict)
    multiple: set[str] = field(default_factory=set)
    autocomplete: dict[str, str] = field(default_factory=dict)
    # Visible texts are read from the page only when a value does not match (they cost time).
    _option_nodes: dict[str, list[LexborNode]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _page: _Page | None = field(default=None, compare=False, repr=False)

    def option_texts(self, name: str) -> list[str]:
        """The visible text of each of ``options[name]``: an option's text, a box's label."""
        page = self._page
        if page is None:
            return ["" for _ in self.options.get(name, [])]
        return [page.text_of(node) for node in self._option_nodes.get(name, [])]

    @property
    def password_fields(self) -> list[str]:
        return [name for name in self.names if self.types.get(name) == "password"]

    @property
    def typed_fields(self) -> list[str]:
        """The fields a user types into or picks from: not hidden inputs, not buttons."""
        return [name for name in self.names if self.types.get(name) not in _UNTYPED_KINDS]

    @property
    def has_csrf_token(self) -> bool:
        return CSRF_FIELD in self.values

    def describe(self) -> str:
        return f"{self.label} ({self.method.upper()} {self.action})"

    @property
    def called(self) -> str:
        """The form as a sentence names it: ``form #contact``, or ``the form`` alone on its page."""
        return "the form" if self.label == "form" else f"form {self.label}"


def parse_forms(html: str | bytes, base_path: str = "/") -> list[HtmlForm]:
    """Every ``<form>`` in ``html``, with actions made absolute against ``base_path``."""
    return parse_tree(LexborHTMLParser(html), base_path)


# A test reads the same page again and again: each GET renders it anew, with a new CSRF token
# as the only change, and a failing flow reads its last page's errors up to three times. So a
# page is parsed once per content (the token left out of the key), its forms and errors read
# from that one tree, and the forms handed out as copies with the token put back.
_CSRF_INPUT = b'name="csrfmiddlewaretoken" value="'
_READ_PAGES_SIZE = 16


class _ReadPage:
    """One page content as the kit read it: its tree, its forms by base path, its errors."""

    __slots__ = ("errors", "forms", "token", "tree")

    def __init__(self, token: bytes, tree: LexborHTMLParser) -> None:
        self.token = token
        self.tree = tree
        self.forms: dict[str, list[HtmlForm]] = {}
        self.errors: list[tuple[str, str]] | None = None


_READ_PAGES: OrderedDict[bytes, _ReadPage] = OrderedDict()


def _read_page(content: bytes) -> tuple[_ReadPage, bytes]:
    """The page read from ``content`` (parsed on first sight), and ``content``'s CSRF token."""
    tokens = _csrf_tokens(content)
    token = tokens[0] if tokens else b""
    # A token shown anywhere but in the CSRF inputs (a script, another field) could be read
    # back, so only a page that has it in those inputs alone shares its reading with others.
    if token and content.count(token) != len(tokens):
        token = b""
    key = content.replace(token, b"") if token else content
    page = _READ_PAGES.get(key)
    if page is None:
        page = _READ_PAGES[key] = _ReadPage(token, LexborHTMLParser(content))
        if len(_READ_PAGES) > _READ_PAGES_SIZE:
            _READ_PAGES.popitem(last=False)
    else:
        _READ_PAGES.move_to_end(key)
    return page, token


def _csrf_tokens(content: bytes) -> list[bytes]:
    """The values of the CSRF inputs as Django renders them (``{% csrf_token %}``)."""
    # bytes.find skips ahead far faster than a regular expression scanning the page.
    tokens = []
    start = content.find(_CSRF_INPUT)
    while start != -1:
        start += len(_CSRF_INPUT)
        end = content.find(b'"', start)
        if end == -1:
            break
        tokens.append(content[start:end])
        start = content.find(_CSRF_INPUT, end)
    return tokens


def page_forms(content: bytes, base_path: str) -> list[HtmlForm]:
    """:func:`parse_forms` of a response's ``content``, read once per page: copies the caller
    may change."""
    forms, old, new = _page_forms(content, base_path)
    return [_copy(form, old, new) for form in forms]


def read_forms(content: bytes, base_path: str) -> list[HtmlForm]:
    """The forms of :func:`page_forms` for the kit's own reading: each shares its containers
    with the page read but for the CSRF token's, so the caller must not change them."""
    forms, old, new = _page_forms(content, base_path)
    return [_with_token(form, old, new) for form in forms]


def _page_forms(content: bytes, base_path: str) -> tuple[list[HtmlForm], str, str]:
    """The forms read from ``content``'s page, the CSRF token they hold and ``content``'s."""
    page, token = _read_page(content)
    forms = page.forms.get(base_path)
    if forms is None:
        forms = page.forms[base_path] = parse_tree(page.tree, base_path)
    return forms, page.token.decode(), token.decode()


def _with_token(form: HtmlForm, old_token: str, token: str) -> HtmlForm:
    if old_token == token or CSRF_FIELD not in form.values:
        return form
    values = dict(form.values)
    values[CSRF_FIELD] = [token if v == old_token else v for v in values[CSRF_FIELD]]
    copied = object.__new__(HtmlForm)
    copied.__dict__.update(form.__dict__, values=values)
    return copied


def page_tree(content: bytes) -> LexborHTMLParser:
    """The tree of a response's ``content``, shared with :func:`page_forms`: only to read."""
    return _read_page(content)[0].tree


def page_errors(content: bytes) -> list[tuple[str, str]]:
    """``(field, message)`` for each item of the ``.errorlist`` lists Django renders, read once
    per page; ``field`` is ``__all__`` for a list that names none (non-field errors)."""
    page = _read_page(content)[0]
    if page.errors is None:
        page.errors = []
        for node in page.tree.css(".errorlist"):
            ident = node.attributes.get("id") or ""
            name = (
                ident[3:-6] if ident.startswith("id_") and ident.endswith("_error") else "__all__"
            )
            page.errors.extend((name, item.text(strip=True)) for item in node.css("li"))
    return list(page.errors)


def _copy(form: HtmlForm, old_token: str, token: str) -> HtmlForm:
    """``form`` with containers of its own (a test may change what it got), and ``token``."""
    copied = object.__new__(HtmlForm)
    copied.__dict__.update(form.__dict__)
    copied.names = list(form.names)
    copied.values = {name: list(values) for name, values in form.values.items()}
    if old_token != token and CSRF_FIELD in copied.values:
        copied.values[CSRF_FIELD] = [
            token if v == old_token else v for v in form.values[CSRF_FIELD]
        ]
    copied.types = dict(form.types)
    copied.required = list(form.required)
    copied.options = {name: list(values) for name, values in form.options.items()}
    copied.buttons = list(form.buttons)
    copied.disabled_options = {n: list(values) for n, values in form.disabled_options.items()}
    copied.locked = dict(form.locked)
    copied.multiple = set(form.multiple)
    copied.autocomplete = dict(form.autocomplete)
    return copied


class _Page:
    """What reading one form needs from the rest of its page, looked up only when needed."""

    def __init__(self, tree: LexborHTMLParser, fieldsets: list[LexborNode]) -> None:
        self.tree = tree
        self.locked_by_fieldset = _disabled_by_fieldsets(fieldsets) if fieldsets else set()
        self._label_for: dict[str, str] | None = None

    def text_of(self, node: LexborNode) -> str:
        if node.tag == "option":
            return _text(node)
        ident = node.attributes.get("id")
        if ident:
            if self._label_for is None:
                self._label_for = {}
                for label in self.tree.css("label[for]"):
                    self._label_for.setdefault(label.attributes.get("for") or "", _text(label))
            if ident in self._label_for:
                return self._label_for[ident]
        parent = node.parent
        while parent is not None and parent.tag not in ("label", "form", "body"):
            parent = parent.parent
        return _text(parent) if parent is not None and parent.tag == "label" else ""


def parse_tree(tree: LexborHTMLParser, base_path: str) -> list[HtmlForm]:
    nodes, outside, fieldsets = [], [], []
    for node in tree.css(_PAGE_PARTS):
        tag = node.tag
        if tag == "form":
            nodes.append(node)
        elif tag == "fieldset":
            fieldsets.append(node)
        if tag in _CONTROL_TAGS:
            outside.append(node)
    if not nodes:
        return []
    page = _Page(tree, fieldsets)
    owned = _owned_controls(tree, nodes) if outside else [node.css(_CONTROLS) for node in nodes]
    attributes = [node.attributes for node in nodes]
    labels = _labels(attributes, nodes, tree)
    return [
        _read_form(attributes[index], labels[index], index, controls, base_path, page)
        for index, controls in enumerate(owned)
    ]


def _owned_controls(tree: LexborHTMLParser, nodes: list[LexborNode]) -> list[list[LexborNode]]:
    """Each form's controls in tree order, with HTML5 ``form="id"`` owners taking precedence."""
    by_id: dict[str, int] = {}
    inside: dict[int, int] = {}
    for index, node in enumerate(nodes):
        by_id.setdefault(node.attributes.get("id") or "", index)
        inside.update((control.mem_id, index) for control in node.css(_CONTROLS))
    owned: list[list[LexborNode]] = [[] for _ in nodes]
    for control in tree.css(_CONTROLS):
        attrs = control.attributes
        # A form attribute naming no form leaves the control without one, as in HTML.
        owner = by_id.get(attrs["form"] or "") if "form" in attrs else inside.get(control.mem_id)
        if owner is not None:
            owned[owner].append(control)
    return owned


def _disabled_by_fieldsets(fieldsets: list[LexborNode]) -> set[int]:
    locked: set[int] = set()
    for fieldset in fieldsets:
        spared: set[int] = set()
        for child in fieldset.iter():
            if child.tag == "legend":
                # HTML keeps the controls of a disabled fieldset's first legend usable.
                spared = {control.mem_id for control in child.css(_CONTROLS)}
                break
        locked.update(c.mem_id for c in fieldset.css(_CONTROLS) if c.mem_id not in spared)
    return locked


def _text(node: LexborNode) -> str:
    return " ".join(node.text(deep=True).split())


def _labels(
    attributes: list[dict[str, str | None]], nodes: list[LexborNode], tree: LexborHTMLParser
) -> list[str]:
    """For each form, the shortest CSS selector that matches it alone among the page's forms."""
    ids = [attrs.get("id") for attrs in attributes]
    labels = []
    for index, ident in enumerate(ids):
        if ident and _quotable(ident) and (len(ids) == 1 or ids.count(ident) == 1):
            labels.append(f"#{ident}" if _IDENTIFIER.fullmatch(ident) else f'form[id="{ident}"]')
        else:
            labels.append(_other_label(index, attributes, nodes, tree))
    return labels


def _other_label(
    index: int,
    attributes: list[dict[str, str | None]],
    nodes: list[LexborNode],
    tree: LexborHTMLParser,
) -> str:
    own = attributes[index]
    name = own.get("name")
    if name and _quotable(name) and _unique(attributes, "name", name):
        return f"form[name={name}]" if _IDENTIFIER.fullmatch(name) else f'form[name="{name}"]'
    classes = (own.get("class") or "").split()
    if classes and _identifiers(classes):
        worn = set(classes)
        for other, attrs in enumerate(attributes):
            if other != index and worn.issubset((attrs.get("class") or "").split()):
                break
        else:
            return "form." + ".".join(classes)
    if len(nodes) == 1:
        return "form"
    action = own.get("action")
    if action and _quotable(action) and _unique(attributes, "action", action):
        return f'form[action="{action}"]'
    return _path(nodes[index], tree)


def _identifiers(values: list[str]) -> bool:
    return all(_IDENTIFIER.fullmatch(value) for value in values)


def _unique(attributes: list[dict[str, str | None]], key: str, value: str) -> bool:
    return [attrs.get(key) for attrs in attributes].count(value) == 1


def _quotable(value: str) -> bool:
    # lexbor reads no escapes inside a quoted attribute value, so such values cannot be quoted.
    return '"' not in value and "\\" not in value and "\n" not in value


def _path(node: LexborNode, tree: LexborHTMLParser) -> str:
    """A child-combinator path that grows upwards until it matches only ``node``."""
    selector = ""
    current: LexborNode | None = node
    while current is not None and current.tag not in (None, "-document"):
        ident = current.attributes.get("id") if current is not node else None
        if ident and _IDENTIFIER.fullmatch(ident):
            segment = f"#{ident}"
        else:
            position, sibling = 1, current.prev
            while sibling is not None:
                position += sibling.tag == current.tag
                sibling = sibling.prev
            segment = f"{current.tag}:nth-of-type({position})"
        selector = f"{segment} > {selector}" if selector else segment
        matches = tree.css(selector)
        if len(matches) == 1 and matches[0].mem_id == node.mem_id:
            break
        current = current.parent
    return selector


def _read_form(
    attrs: dict[str, str | None],
    label: str,
    index: int,
    controls: list[LexborNode],
    base_path: str,
    page: _Page,
) -> HtmlForm:
    action = attrs.get("action") or ""
    if not action:
        path = base_path
    elif action[0] == "/" and action[:2] != "//" and not any(c in action for c in "#.\\"):
        # The usual {% url %} action is already the path urljoin would make of it.
        path = action
    else:
        parts = urlsplit(urljoin(f"http://testserver{base_path}", action))
        path = parts.path + (f"?{parts.query}" if parts.query else "")
    form = HtmlForm(
        label=label,
        action=path,
        method=(attrs.get("method") or "get").lower(),
        enctype=(attrs.get("enctype") or "application/x-www-form-urlencoded").lower(),
        index=index,
        id=attrs.get("id"),
        _page=page,
    )
    for control in controls:
        _read_control(form, control, page)
    return form


def _read_control(form: HtmlForm, control: LexborNode, page: _Page) -> None:
    attrs = control.attributes
    tag = control.tag
    if tag == "input":
        kind = attrs.get("type")
        kind = kind.lower() if kind else "text"
    elif tag == "button":
        kind = (attrs.get("type") or "").lower()
        # A button whose type is missing or unknown submits, as in HTML.
        if kind not in NEVER_SENT:
            kind = "submit"
    else:
        kind = tag or ""
    disabled = "disabled" in attrs
    if not disabled and page.locked_by_fieldset:
        disabled = control.mem_id in page.locked_by_fieldset
    name = attrs.get("name")
    if kind in SPECIAL_KINDS:
        _read_special(form, control, attrs, kind, name or "", disabled, page)
        return
    if not name:
        return
    # Text-like inputs, the bulk of most forms, take this short path.
    types = form.types
    if name not in types:
        form.names.append(name)
        types[name] = kind
        if disabled or ("readonly" in attrs and kind in _READONLY_KINDS):
            form.locked[name] = "disabled" if disabled else "readonly"
    elif form.locked and name in form.locked and not disabled and "readonly" not in attrs:
        del form.locked[name]
    if "autocomplete" in attrs:
        form.autocomplete.setdefault(name, (attrs["autocomplete"] or "").strip().lower())
    if disabled:
        return
    if "required" in attrs and "readonly" not in attrs and name not in form.required:
        form.required.append(name)
    values = form.values
    if name in values:
        values[name].append(attrs.get("value") or "")
    else:
        values[name] = [attrs.get("value") or ""]


def _read_special(
    form: HtmlForm,
    control: LexborNode,
    attrs: dict[str, str | None],
    kind: str,
    name: str,
    disabled: bool,
    page: _Page,
) -> None:
    """Buttons, choices, text areas and files: the controls that need more than a value."""
    if kind in SUBMIT_KINDS:
        form.buttons.append(_button(control, attrs, kind, name, disabled, len(form.buttons)))
    if not name:
        return
    new = name not in form.types
    if new:
        form.names.append(name)
        form.types[name] = kind
    if disabled or ("readonly" in attrs and kind in _READONLY_KINDS):
        # A name stays writable while one of its controls is; constraint validation skips it.
        if new:
            form.locked[name] = "disabled" if disabled else "readonly"
    else:
        if form.locked and name in form.locked:
            del form.locked[name]
        if "required" in attrs and name not in form.required:
            form.required.append(name)
    if kind in SUBMIT_KINDS or kind in NEVER_SENT:
        return
    if kind == "select":
        if "multiple" in attrs:
            form.multiple.add(name)
        _read_select(form, control, name, disabled, "multiple" in attrs, attrs.get("size"))
    elif kind in ("checkbox", "radio"):
        value = attrs.get("value")
        if value is None:
            value = "" if "value" in attrs else "on"
        if disabled:
            form.disabled_options.setdefault(name, []).append(value)
            return
        form.options.setdefault(name, []).append(value)
        form._option_nodes.setdefault(name, []).append(control)
        if "checked" in attrs:
            form.values.setdefault(name, []).append(value)
    elif kind == "file":
        if "multiple" in attrs:
            form.multiple.add(name)
    elif not disabled:
        form.values.setdefault(name, []).append(control.text(deep=True))


def _button(
    control: LexborNode,
    attrs: dict[str, str | None],
    kind: str,
    name: str,
    disabled: bool,
    index: int,
) -> SubmitButton:
    value = attrs.get("value")
    if control.tag == "button":
        text = _text(control)
    elif kind == "image":
        text = attrs.get("alt") or value or ""
    else:
        # Chromium sends and shows "Submit" for an <input type=submit> without a value.
        value = "Submit" if value is None else value
        text = value
    button = object.__new__(SubmitButton)
    # A frozen dataclass's __init__ sets each field through object.__setattr__, which costs
    # more than the rest of reading the button.
    button.__dict__.update(
        name=name, value=value or "", text=text, index=index, disabled=disabled, type=kind
    )
    return button


def _read_select(
    form: HtmlForm,
    control: LexborNode,
    name: str,
    disabled: bool,
    multiple: bool,
    size: str | None,
) -> None:
    values, nodes, chosen, first = [], [], [], None
    for option in control.css("option"):
        option_attrs = option.attributes
        value = option_attrs.get("value")
        if value is None:
            value = "" if "value" in option_attrs else _text(option)
        parent = option.parent
        if "disabled" in option_attrs or (
            parent is not None and parent.tag == "optgroup" and "disabled" in parent.attributes
        ):
            form.disabled_options.setdefault(name, []).append(value)
        else:
            values.append(value)
            nodes.append(option)
            first = value if first is None else first
        if "selected" in option_attrs:
            chosen.append(value)
    form.options.setdefault(name, []).extend(values)
    form._option_nodes.setdefault(name, []).extend(nodes)
    if disabled:
        return
    if not multiple:
        # A drop-down shows one option: the last selected one, else the first it may show.
        one_row = size is None or not size.strip().isdigit() or int(size) <= 1
        chosen = chosen[-1:] or ([first] if first is not None and one_row else [])
    if chosen:
        form.values.setdefault(name, []).extend(chosen)
