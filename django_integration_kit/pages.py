"""Read a page the way a user does: follow its links by their text, and check its elements by
CSS selector, with failures that show the part of the page that is there."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from django_integration_kit import _frames, _report
from django_integration_kit._steps import Request, run, single
from django_integration_kit.client import exchange_of
from django_integration_kit.forms import response_or_last

_frames.hide(globals())

# What an attribute of assert_html(attrs=...) must be: a value, a pattern, present or absent.
AttrValue = str | re.Pattern[str] | bool

MAX_LISTED_LINKS = 20
MAX_SHOWN_LINES = 25
MAX_SHOWN_ELEMENTS = 10
_LINE_CHARS = 110
_ONE_LINE_CHARS = 90
# Elements a browser's innerText puts on a line of their own: their text never runs into the
# text around them ("<li>a</li><li>b</li>" reads "a b", not "ab").
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "legend", "li", "main", "nav",
        "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_UNSEEN = frozenset({"script", "style", "template", "noscript", "head", "-comment"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_WEB_SCHEMES = frozenset({"http", "https"})


# Reading pages


def page_of(client: Any, response: Any, caller: str) -> Any:
    """``response``, else the client's last one: the page a user sees now (the last hop of a
    browser's answer, which carries the redirects it followed)."""
    return _report.hops([response_or_last(client, response, caller)])[-1]


def where(response: Any) -> str:
    """The request that ``response`` answered, as messages name it: ``GET /products/``."""
    exchange = exchange_of(response)
    return f"{exchange.method} {exchange.path}"


def page_url(response: Any) -> str:
    """The absolute URL of the page ``response`` answered, to resolve its relative links."""
    request = getattr(response, "wsgi_request", None) or getattr(response, "asgi_request", None)
    if request is not None:
        try:
            host = request.get_host()
        except Exception:  # DisallowedHost: the page was served, so resolve as the client does
            host = "testserver"
        return f"{request.scheme}://{host}{request.get_full_path()}"
    url = getattr(response, "url", None)  # the browser's answers know where they are
    if isinstance(url, str) and "://" in url:
        return url
    return f"http://testserver{exchange_of(response).path}"


def html_tree(response: Any, caller: str) -> LexborHTMLParser:
    """The parsed HTML of ``response``; a response that is no HTML page fails, saying so."""
    content_type = response.headers.get("Content-Type", "") or ""
    if content_type and "html" not in content_type and "xml" not in content_type:
        raise AssertionError(
            f"{where(response)} answered {content_type.split(';')[0]}, not an HTML page; "
            f"{caller}() reads HTML, so check this response another way."
        )
    if getattr(response, "streaming", False):
        raise AssertionError(
            f"{where(response)} answered a streaming response; {caller}() reads a page's HTML, "
            "so join response.streaming_content and check that."
        )
    return LexborHTMLParser(response.content)


def visible_text(node: LexborNode) -> str:
    """The text a user reads in ``node``, whitespace collapsed, without scripts and styles."""
    parts: list[str] = []
    _collect_text(node, parts)
    return " ".join("".join(parts).split())


def _collect_text(node: LexborNode, parts: list[str]) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            parts.append(child.text_content or "")
        elif tag in _UNSEEN:
            continue
        elif tag in _BLOCKS:
            parts.append(" ")
            _collect_text(child, parts)
            parts.append(" ")
        else:
            _collect_text(child, parts)


def _css(tree: LexborHTMLParser | LexborNode, selector: str, hint: str) -> list[LexborNode]:
    try:
        return list(tree.css(selector))
    except Exception as error:  # selectolax's SelectolaxError; older releases raise others
        reason = str(error).rstrip(".") or type(error).__name__
        raise AssertionError(
            f"Selector {selector!r} is not valid CSS: {reason}; pass a CSS selector such as "
            f"{hint}."
        ) from None


def _open_tag(node: LexborNode) -> str:
    attributes = "".join(
        f" {name}" if value is None else f' {name}="{value.replace(chr(34), "&quot;")}"'
        for name, value in node.attributes.items()
    )
    return f"<{node.tag}{attributes}>"


def _cut(line: str) -> str:
    return line if len(line) <= _LINE_CHARS else line[: _LINE_CHARS - 2] + " …"


def _render(node: LexborNode, depth: int, lines: list[str], limit: int) -> None:
    if len(lines) > limit:
        return
    indent = "  " * depth
    tag = node.tag
    if tag == "-text":
        text = " ".join((node.text_content or "").split())
        if text:
            lines.append(_cut(indent + text))
        return
    if tag == "-comment" or tag is None:
        return
    # Masked before it is cut, so that a cut leaves no part of a secret value.
    one_line = _report.mask(" ".join((node.html or "").split()))
    if tag in _VOID or len(one_line) + len(indent) <= _ONE_LINE_CHARS:
        lines.append(_cut(indent + one_line))
        return
    lines.append(_cut(indent + _open_tag(node)))
    if tag in ("script", "style"):
        lines.append(indent + "  …")
    else:
        for child in node.iter(include_text=True):
            _render(child, depth + 1, lines, limit)
    lines.append(indent + f"</{tag}>")


def pretty(nodes: list[LexborNode], limit: int = MAX_SHOWN_LINES) -> str:
    """``nodes`` as indented HTML, one element or text per line, cut to ``limit`` lines."""
    lines: list[str] = []
    for number, node in enumerate(nodes):
        if number == MAX_SHOWN_ELEMENTS:
            lines.append(f"… and {len(nodes) - number} more")
            break
        _render(node, 1, lines, limit)
        if len(lines) > limit:
            del lines[limit:]
            lines.append("  …")
            break
    return "\n".join(lines)


def _outer_parts(selector: str) -> list[str]:
    """The selectors that drop the last compounds of ``selector``, longest first:
    ``main ul.messages > li`` gives ``main ul.messages`` and ``main``; a list gives none."""
    cuts: list[int] = []
    depth, quote = 0, ""
    for index, char in enumerate(selector):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0 and char == ",":
            return []
        elif depth == 0 and (char.isspace() or char in ">+~"):
            cuts.append(index)
    parts = []
    for cut in reversed(cuts):
        part = selector[:cut].rstrip(" \t\n>+~")
        if part and part not in parts:
            parts.append(part)
    return parts


def _nearest(tree: LexborHTMLParser, selector: str) -> str:
    """What a failure shows when nothing matches: the nearest outer part of ``selector`` that
    matches, else the page's body; never the whole document."""
    parts = _outer_parts(selector)
    for part in parts:
        matches = _css(tree, part, repr(part))
        if matches:
            which = f" (the first of {len(matches)})" if len(matches) > 1 else ""
            return f". The nearest part of the page that exists, {part!r}{which}:\n" + pretty(
                matches[:1]
            )
    # The page's <main>, where there is one, skips the header every page repeats.
    mains = tree.css("main")
    root = mains[0] if len(mains) == 1 else tree.body or tree.root
    nor = f", nor does {parts[-1]!r}" if parts else ""
    if root is None:
        return f"{nor}; the page is empty."
    return f"{nor}. The page's <{root.tag}>:\n" + pretty([root])


# Checking elements


def _has_text(text: str, contains: str | re.Pattern[str] | None, exact: str | None) -> bool:
    if exact is not None and text != " ".join(exact.split()):
        return False
    if contains is None:
        return True
    if isinstance(contains, re.Pattern):
        return contains.search(text) is not None
    return " ".join(contains.split()) in text


def _has_attrs(node: LexborNode, attrs: Mapping[str, AttrValue]) -> bool:
    own = node.attributes
    for name, wanted in attrs.items():
        if wanted is True or wanted is False:
            if (name in own) is not wanted:
                return False
            continue
        value = own.get(name)
        if name not in own:
            return False
        value = value or ""
        if isinstance(wanted, re.Pattern):
            if wanted.search(value) is None:
                return False
        elif value != wanted:
            return False
    return True


def _described(
    text: str | re.Pattern[str] | None, exact: str | None, attrs: Mapping[str, AttrValue]
) -> str:
    """The filters of an assert_html() call, as the end of a sentence: ``the text 'Saved'``."""
    parts = []
    if exact is not None:
        parts.append(f"exactly the text {exact!r}")
    if isinstance(text, re.Pattern):
        parts.append(f"text matching {text.pattern!r}")
    elif text is not None:
        parts.append(f"the text {text!r}")
    if attrs:
        shown = []
        for name, wanted in attrs.items():
            if wanted is True:
                shown.append(name)
            elif wanted is False:
                shown.append(f"no {name}")
            elif isinstance(wanted, re.Pattern):
                shown.append(f"{name} matching {wanted.pattern!r}")
            else:
                shown.append(f"{name}={wanted!r}")
        parts.append("the attributes " + ", ".join(shown))
    return " and ".join(parts)


def _elements(number: int) -> str:
    return f"{number} element" if number == 1 else f"{number} elements"


def _check_arguments(
    text: Any, exact_text: Any, count: Any, attrs: Mapping[str, Any] | None
) -> None:
    if text is not None and not isinstance(text, (str, re.Pattern)):
        raise TypeError(f"text= takes a string or a compiled re.Pattern, not {text!r}.")
    if exact_text is not None and not isinstance(exact_text, str):
        raise TypeError(
            f"exact_text= takes a string, not {exact_text!r}; pass a re.Pattern as text= to "
            "match a pattern."
        )
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        raise TypeError(f"count= takes a number of elements (0 or more), not {count!r}.")
    for name, wanted in (attrs or {}).items():
        if not isinstance(wanted, (str, bool, re.Pattern)):
            raise TypeError(
                f"attrs[{name!r}] takes a string, a compiled re.Pattern, True (present) or "
                f"False (absent), not {wanted!r}."
            )


def assert_html(
    response: Any,
    selector: str,
    *,
    text: str | re.Pattern[str] | None = None,
    exact_text: str | None = None,
    count: int | None = None,
    attrs: Mapping[str, AttrValue] | None = None,
) -> list[str]:
    """Assert that elements matching the CSS ``selector`` are on the page ``response`` shows;
    return their visible texts.

    ``text`` (in the visible text; a ``re.Pattern`` is searched), ``exact_text`` and ``attrs``
    narrow the matches; ``count`` is how many must remain (default: at least one).
    """
    with _report.masked_errors():
        return _assert_html(response, selector, text, exact_text, count, attrs)


def _assert_html(
    response: Any,
    selector: str,
    text: str | re.Pattern[str] | None,
    exact_text: str | None,
    count: int | None,
    attrs: Mapping[str, AttrValue] | None,
) -> list[str]:
    _check_arguments(text, exact_text, count, attrs)
    attrs = attrs or {}
    response = _report.hops([response])[-1]
    tree = html_tree(response, "assert_html")
    matches = _css(tree, selector, "'ul.messages li' or '#main a[href]'")
    filtered = []
    for node in matches:
        if attrs and not _has_attrs(node, attrs):
            continue
        node_text = visible_text(node)
        if _has_text(node_text, text, exact_text):
            filtered.append((node, node_text))
    found = len(filtered)
    if (count is None and found) or found == count:
        return [node_text for _, node_text in filtered]
    expected = "" if count is None else f", expected {count}"
    wanted = _described(text, exact_text, attrs)
    if not matches:
        raise AssertionError(
            f"No element matches {selector!r} on {where(response)}{expected}"
            + _nearest(tree, selector)
        )
    if not filtered:
        raise AssertionError(
            f"{_elements(len(matches))} {'matches' if len(matches) == 1 else 'match'} "
            f"{selector!r} on {where(response)}, but "
            f"{'it does not have' if len(matches) == 1 else 'none of them has'} {wanted}"
            f"{expected}; {'it is' if len(matches) == 1 else 'they are'}:\n" + pretty(matches)
        )
    with_wanted = f" with {wanted}" if wanted else ""
    raise AssertionError(
        f"{_elements(found)} {'matches' if found == 1 else 'match'} {selector!r}{with_wanted} "
        f"on {where(response)}, expected {'none' if count == 0 else count}; "
        f"{'it is' if found == 1 else 'they are'}:\n" + pretty([node for node, _ in filtered])
    )


def texts_of(response: Any, selector: str) -> list[str]:
    """The visible text of every element matching the CSS ``selector``, in page order; none
    is an empty list. For custom checks: ``assert texts_of(page, "td.price") == ["9.50"]``."""
    tree = html_tree(_report.hops([response])[-1], "texts_of")
    return [visible_text(node) for node in _css(tree, selector, "'ul.messages li'")]


# Links


@dataclass(frozen=True)
class Target:
    """Where an ``href`` leads from a page: ``kind`` is ``"page"`` (of this site, ``path`` to
    GET), ``"same page"`` (a ``#fragment``), ``"script"``, ``"other site"`` or ``"not a page"``
    (``mailto:``, ``tel:``...); ``url`` is the resolved address."""

    kind: str
    url: str
    path: str = ""


def link_target(href: str, base: str) -> Target:
    """Classify ``href`` as written on the page at the absolute URL ``base``."""
    href = href.strip()
    scheme = _SCHEME.match(href)
    if scheme and scheme.group(1).lower() not in _WEB_SCHEMES:
        kind = "script" if scheme.group(1).lower() == "javascript" else "not a page"
        return Target(kind, href)
    url = urljoin(base, href)
    parts, here = urlsplit(url), urlsplit(base)
    if parts.netloc.lower() != here.netloc.lower():
        return Target("other site", url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if href.startswith("#"):
        return Target("same page", url, path)
    return Target("page", url, path)


@dataclass(frozen=True)
class _Link:
    text: str
    href: str
    target: Target

    def describe(self) -> str:
        shown = self.target.path if self.target.kind == "page" else self.href
        if self.target.kind == "other site":
            shown = self.target.url
        return f"{self.text!r} -> {shown}"


def _link_text(node: LexborNode) -> str:
    """What a user reads as a link's name: its text, else its label or its image's alt text."""
    text = visible_text(node)
    if text:
        return text
    attrs = node.attributes
    image = node.css_first("img[alt]")
    for value in (attrs.get("aria-label"), image.attributes.get("alt") if image else None):
        if value and value.strip():
            return " ".join(value.split())
    return " ".join((attrs.get("title") or "").split())


def _links(nodes: list[LexborNode], base: str) -> list[_Link]:
    links = []
    for node in nodes:
        href = node.attributes.get("href")
        if href is not None:
            links.append(_Link(_link_text(node), href, link_target(href, base)))
    return links


def _listing(links: list[_Link]) -> str:
    # A menu repeated in the footer lists its links once.
    shown = list(dict.fromkeys(link.describe() for link in links))
    lines = [f"  {line}" for line in shown[:MAX_LISTED_LINKS]]
    if len(shown) > MAX_LISTED_LINKS:
        lines.append(f"  … and {len(shown) - MAX_LISTED_LINKS} more")
    return "\n".join(lines)


def _link_wanted(
    text: str | re.Pattern[str] | None, selector: str | None, href: str | None
) -> str:
    parts = []
    if selector is not None:
        parts.append(f"matching {selector!r}")
    if isinstance(text, re.Pattern):
        parts.append(f"with text matching {text.pattern!r}")
    elif text is not None:
        parts.append(f"with the text {text!r}")
    if href is not None:
        parts.append(f"to {href!r}")
    return " ".join(parts)


def _choose_link(
    response: Any,
    text: str | re.Pattern[str] | None,
    selector: str | None,
    href: str | None,
) -> _Link:
    tree = html_tree(response, "follow")
    base = page_url(response)
    everything = _links(tree.css("a[href]"), base)
    if selector is None:
        candidates = everything
    else:
        # A selector may name the links or a part of the page that holds them (a <nav>).
        nodes: dict[int, LexborNode] = {}
        for match in _css(tree, selector, "'nav a' or 'a.next'"):
            inner = [match] if match.tag == "a" else match.css("a")
            nodes.update((node.mem_id, node) for node in inner if "href" in node.attributes)
        candidates = _links(list(nodes.values()), base)
    if text is not None:
        if isinstance(text, re.Pattern):
            candidates = [link for link in candidates if text.search(link.text)]
        else:
            wanted = " ".join(text.split())
            candidates = [link for link in candidates if link.text == wanted]
    if href is not None:
        resolved = urljoin(base, href.strip())
        candidates = [link for link in candidates if link.target.url == resolved]
    destinations = {link.target.url for link in candidates}
    described = _link_wanted(text, selector, href)
    if not candidates:
        if not everything:
            raise AssertionError(
                f"No link {described} on {where(response)}: the page has no links (<a href>)."
            )
        raise AssertionError(
            f"No link {described} on {where(response)}; its links are:\n" + _listing(everything)
        )
    if len(destinations) > 1:
        raise AssertionError(
            f"{len(candidates)} links {described} on {where(response)} lead to different "
            "places; pass selector= or href= as well to name one:\n" + _listing(candidates)
        )
    return candidates[0]


def _unfollowable(link: _Link, response: Any) -> str | None:
    kind, page = link.target.kind, where(response)
    if kind == "other site":
        return (
            f"The link {link.text!r} on {page} leads to another site ({link.target.url}); the "
            "kit does not leave the site under test. Check the link with "
            f"assert_html(response, 'a[href=\"{link.href}\"]') instead."
        )
    if kind == "same page":
        return (
            f"The link {link.text!r} on {page} goes to {link.href!r}, a place on the same page, "
            "so following it loads nothing; check that part of the page with assert_html()."
        )
    if kind == "script":
        return (
            f"The link {link.text!r} on {page} runs JavaScript ({link.href!r}), which follow() "
            "cannot run; click it in a BrowserTestCase with self.page.click()."
        )
    if kind == "not a page":
        return (
            f"The link {link.text!r} on {page} opens {link.href!r}, not a page of the site; "
            "check its href with assert_html() instead."
        )
    return None


def follow(
    client: Any,
    response: Any = None,
    *,
    text: str | re.Pattern[str] | None = None,
    selector: str | None = None,
    href: str | None = None,
) -> Any:
    """Click the one link of the page with this visible ``text`` (exact, or a ``re.Pattern``
    searched), inside or matching ``selector``, or to ``href``: GET it and return the response.

    ``response`` defaults to the client's last one. Several links to the same place count as
    one. Returns an awaitable with an ``AsyncClient``; redirects are not followed.
    """
    if text is None and selector is None and href is None:
        raise TypeError(
            "follow() needs text=, selector= or href= to find the link a user would click."
        )
    page = page_of(client, response, "follow")
    link = _choose_link(page, text, selector, href)
    refusal = _unfollowable(link, page)
    if refusal is not None:
        raise AssertionError(refusal)
    path = link.target.path
    return run(client, lambda: single(Request("get", path)))
