"""A smoke test of the whole site: visit every page a user can reach by links and GET forms,
and report the pages that answer an error, raise, or run too many queries."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from selectolax.lexbor import LexborHTMLParser

from django_integration_kit import _frames, _report, pages
from django_integration_kit._form_html import parse_tree
from django_integration_kit._steps import is_async_client, session_user_id
from django_integration_kit.forms import fill

_frames.hide(globals())

MAX_LISTED = 30
# Paths that end a session: following one would log the crawl out halfway through.
_LOGOUT = re.compile(r"log[-_]?out|sign[-_]?out", re.IGNORECASE)
_HOW = {
    "start": "a start page",
    "link": "linked from {}",
    "form": "the GET form on {}",
    "redirect": "redirected from {}",
}


@dataclass(frozen=True)
class CrawledPage:
    """One request of the crawl: ``status`` is None when the view raised (``error`` says what);
    ``location`` is where a redirect sent it; ``found_on`` the page that led to it."""

    path: str
    status: int | None
    queries: int
    found_on: str | None = None
    how: str = "start"
    location: str | None = None
    error: str | None = None

    @property
    def source(self) -> str:
        """How the crawl came to this page, as messages say it: ``linked from /``."""
        return _HOW[self.how].format(self.found_on)


@dataclass
class CrawlSummary:
    """What :func:`assert_pages_ok` did: the pages in the order it visited them, each URL it
    left out and why (``excluded``, ``logout``, ``static file``, ``another site``, ``not a
    page``), the problems found, and the pages left when ``max_pages`` stopped it."""

    start: tuple[str, ...]
    user: str
    max_pages: int
    pages: list[CrawledPage] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    unvisited: list[str] = field(default_factory=list)

    @property
    def statuses(self) -> dict[str, int | None]:
        """Each visited path (with its query string) and its status; None where it raised."""
        return {page.path: page.status for page in self.pages}

    @property
    def complete(self) -> bool:
        """Whether every page found was visited (``max_pages`` did not stop the crawl)."""
        return not self.unvisited

    def __str__(self) -> str:
        counts = Counter(
            "raised" if page.status is None else f"answered {page.status}" for page in self.pages
        )
        lines = [
            f"Visited {_pages(len(self.pages))} from {', '.join(self.start)} as {self.user}: "
            + ", ".join(f"{number} {outcome}" for outcome, number in sorted(counts.items()))
            + "."
        ]
        if self.skipped:
            reasons = Counter(self.skipped.values())
            lines.append(
                f"Skipped {len(self.skipped)} URLs: "
                + ", ".join(f"{reason} ({number})" for reason, number in sorted(reasons.items()))
                + "."
            )
        if self.unvisited:
            lines.append(self._stopped())
        return "\n".join(lines)

    def _stopped(self) -> str:
        left = len(self.unvisited)
        shown = ", ".join(self.unvisited[:5]) + (", …" if left > 5 else "")
        return (
            f"Stopped at max_pages={self.max_pages} with {_pages(left)} left ({shown}); pass a "
            "higher max_pages= to visit them."
        )


def _pages(number: int) -> str:
    return f"{number} page" if number == 1 else f"{number} pages"


def _prefix(setting: str | None) -> str | None:
    # MEDIA_URL defaults to "": as a prefix it would skip every page of the site.
    if not setting or setting == "/" or "://" in setting:
        return None
    return setting


class _Rules:
    """What the crawl leaves out: other sites, logout pages, static files and ``exclude``."""

    def __init__(self, exclude: Iterable[str | re.Pattern[str]]) -> None:
        from django.conf import settings

        self.exclude = list(exclude)
        for rule in self.exclude:
            if not isinstance(rule, (str, re.Pattern)):
                raise TypeError(
                    f"exclude= takes path prefixes (strings) and compiled re.Patterns, not "
                    f"{rule!r}."
                )
        self.files = [
            prefix
            for prefix in (_prefix(settings.STATIC_URL), _prefix(settings.MEDIA_URL))
            if prefix is not None
        ]

    def skip_reason(self, path: str) -> str | None:
        from django_integration_kit._urls import is_flow_page

        for rule in self.exclude:
            if isinstance(rule, re.Pattern):
                if rule.search(path):
                    return "excluded"
            elif path.startswith(rule):
                return "excluded"
        if any(path.startswith(prefix) for prefix in self.files):
            return "static file"
        if _LOGOUT.search(path.partition("?")[0]) or is_flow_page("logout", path):
            return "logout"
        return None


def _login_path() -> str | None:
    from django_integration_kit._urls import flow_path

    try:
        return flow_path("login").partition("?")[0]
    except ValueError:  # no login page the kit can find: no redirect is one to it
        return None


def _who(client: Any) -> tuple[str, bool]:
    from django.contrib.auth import get_user_model

    user_id = session_user_id(client)
    if user_id is None:
        return "an anonymous user", False
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    return (f"user {str(user)!r}" if user is not None else f"user #{user_id}"), True


def _check_client(client: Any) -> None:
    if is_async_client(client):
        raise TypeError(
            "assert_pages_ok() needs a sync test client (django.test.Client, the kit's "
            "KitClient), not an AsyncClient: crawl with Client(), logged in with login_as() "
            "as the user the async client has."
        )
    if not callable(getattr(client, "get", None)) or not hasattr(client, "cookies"):
        raise TypeError(
            f"assert_pages_ok() needs a Django test client, not {type(client).__name__}; in a "
            "BrowserTestCase, crawl with self.client (log it in with login_as(self.client))."
        )


def _request(client: Any, path: str) -> tuple[Any, int, str | None]:
    """The response to GET ``path`` (None where the view raised), its query count, the error."""
    from contextlib import nullcontext

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    captured = CaptureQueriesContext(connection)
    # Inside a TestCase, a view's database error would break the test's transaction for every
    # later page; a savepoint contains it (and is entered first, so it is not counted).
    contained = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with contained, captured:
            response = client.get(path)
    except Exception as error:
        message = (str(error).strip().splitlines() or [""])[0]
        if len(message) > 200:
            message = message[:198] + " …"
        return None, len(captured), type(error).__name__ + (f": {message}" if message else "")
    return response, len(captured), None


def _found(response: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every URL the page at ``path`` leads to, as ``(how, href)``: links and GET forms."""
    content_type = response.headers.get("Content-Type", "") or ""
    if getattr(response, "streaming", False) or "html" not in content_type:
        return
    tree = LexborHTMLParser(response.content)
    for node in tree.css("a[href], area[href]"):
        yield "link", node.attributes.get("href") or ""
    nodes = tree.css("form")
    for node, form in zip(nodes, parse_tree(tree, path.partition("?")[0]), strict=False):
        if form.method != "get":
            continue  # POST forms change data: the crawl only reads
        action = (node.attributes.get("action") or "").strip()
        if "://" in action or action.startswith("//"):
            yield "form", action  # another site, which the crawl then skips
            continue
        try:
            payload = fill(form, {})
        except AssertionError:  # a form a browser could not submit as it stands
            continue
        query = urlencode(payload, doseq=True)
        yield "form", form.action.partition("?")[0] + (f"?{query}" if query else "")


def assert_pages_ok(
    client: Any,
    start: str | Sequence[str] = "/",
    *,
    max_pages: int = 200,
    exclude: Iterable[str | re.Pattern[str]] = (),
    max_queries: int | None = None,
) -> CrawlSummary:
    """Visit every page reachable from ``start`` by links and GET forms, as the client's user,
    and fail listing each page that answered 4xx/5xx, raised, or ran over ``max_queries``.

    Never submits POST forms, follows logout links or leaves the site; ``exclude`` takes path
    prefixes and compiled patterns. Returns the :class:`CrawlSummary`.
    """
    from django_integration_kit._urls import resolve_url

    _check_client(client)
    if max_pages < 1:
        raise ValueError(f"max_pages= must be 1 or more, not {max_pages!r}.")
    starts = tuple(
        resolve_url(target) for target in ([start] if isinstance(start, str) else start)
    )
    rules = _Rules(exclude)
    user, logged_in = _who(client)
    login_path = _login_path()
    summary = CrawlSummary(starts, user, max_pages)
    queue: deque[tuple[str, str | None, str]] = deque((path, None, "start") for path in starts)
    seen = set(starts)

    def enqueue(href: str, base: str, found_on: str, how: str) -> None:
        target = pages.link_target(href, base)
        if target.kind == "page":
            path = target.path
            if path in seen:
                return
            reason = rules.skip_reason(path)
            if reason is not None:
                summary.skipped.setdefault(path, reason)
                return
            seen.add(path)
            queue.append((path, found_on, how))
        elif target.kind == "other site":
            summary.skipped.setdefault(target.url, "another site")
        elif target.kind == "not a page":
            summary.skipped.setdefault(target.url, "not a page")

    while queue:
        if len(summary.pages) == max_pages:
            summary.unvisited = [path for path, _, _ in queue]
            break
        path, found_on, how = queue.popleft()
        response, queries, error = _request(client, path)
        status = None if response is None else response.status_code
        location = response.headers.get("Location") if status and 300 <= status < 400 else None
        page = CrawledPage(path, status, queries, found_on, how, location, error)
        summary.pages.append(page)
        summary.problems.extend(_problems(page, max_queries))
        base = f"http://testserver{path}" if response is None else pages.page_url(response)
        if location is not None:
            target = pages.link_target(location, base)
            if target.kind == "page" and target.path.partition("?")[0] == login_path:
                if logged_in:
                    summary.problems.append(
                        f"GET {path} sent {user} to the login page {target.path} "
                        f"({page.source}): a permission the user lacks? Give it, or exclude= "
                        "the page."
                    )
                # The login page is one page, whichever ?next= leads there.
                location = target.path.partition("?")[0]
            enqueue(location, base, path, "redirect")
        elif response is not None and status is not None and status < 300:
            for found_how, href in _found(response, path):
                enqueue(href, base, path, found_how)
    return _checked(summary)


def _problems(page: CrawledPage, max_queries: int | None) -> list[str]:
    problems = []
    if page.error is not None:
        problems.append(f"GET {page.path} raised {page.error} ({page.source})")
    elif page.status is not None and page.status >= 400:
        problems.append(f"GET {page.path} answered {page.status} ({page.source})")
    if max_queries is not None and page.queries > max_queries:
        problems.append(
            f"GET {page.path} ran {page.queries} queries, more than max_queries={max_queries} "
            f"({page.source})"
        )
    return problems


def _checked(summary: CrawlSummary) -> CrawlSummary:
    if not summary.problems:
        return summary
    problems = summary.problems
    found = len(problems)
    lines = [
        f"The crawl from {', '.join(summary.start)} as {summary.user} found "
        f"{'a problem' if found == 1 else f'{found} problems'} on the "
        f"{_pages(len(summary.pages))} it visited:"
    ]
    lines.extend(f"  {problem}" for problem in problems[:MAX_LISTED])
    if found > MAX_LISTED:
        lines.append(f"  … and {found - MAX_LISTED} more")
    lines.append("Fix these pages, or pass exclude= the paths the crawl should skip.")
    if summary.unvisited:
        lines.append(summary._stopped())
    raise AssertionError(_report.mask("\n".join(lines)))
