"""Strict resolution of URL names and literal paths, and finding the pages the flows use."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from typing import Any, Literal, overload

from django_integration_kit import _frames, conf

_frames.hide(globals())


def _url_names(patterns: Sequence[Any], prefix: str = "") -> Iterator[str]:
    from django.urls import URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _url_names(pattern.url_patterns, namespace)
        elif getattr(pattern, "name", None):
            yield f"{prefix}{pattern.name}"


def url_names(urlconf: str | None = None) -> list[str]:
    """Every URL name the project defines, namespaced names included."""
    from django.urls import get_resolver

    # The project's own names first, the admin's last: its many names would crowd out others.
    return sorted(
        set(_url_names(get_resolver(urlconf).url_patterns)),
        key=lambda n: (_is_tool_page(n), ":" in n, n),
    )


def resolve_url(target: str, *args: Any, **kwargs: Any) -> str:
    """Turn a URL name (with args) or a literal path starting with ``/`` into a path.

    An unknown name is an error that lists the closest names; it never becomes a path.
    """
    from django.urls import NoReverseMatch, reverse

    if not target or not isinstance(target, str):  # callers may pass None or a view
        raise TypeError(f"Expected a URL name or a path starting with '/', got {target!r}.")
    if target.startswith("/"):
        if args or kwargs:
            raise TypeError(
                f"URL arguments {args or kwargs!r} were given with the literal path {target!r}; "
                "pass a URL name to reverse, or put the values in the path."
            )
        return target
    if "/" in target or target.startswith(("http:", "https:")):
        raise ValueError(
            f"{target!r} is neither a URL name nor a path: a literal path must start with '/'."
        )
    try:
        return reverse(target, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        names = url_names()
        if target in names:
            raise ValueError(
                f"URL {target!r} exists but does not match args={list(args)!r} "
                f"kwargs={kwargs!r}; check the arguments its pattern expects."
            ) from None
        close = difflib.get_close_matches(target, names, n=3, cutoff=0.5)
        hint = (
            f" Did you mean {' or '.join(repr(c) for c in close)}?"
            if close
            else f" Known names: {', '.join(names[:12]) or '(none)'}{', …' if len(names) > 12 else ''}."
        )
        raise ValueError(f"No URL named {target!r}.{hint}") from None


# Words a URL name of each flow's page ends in, after a "_" or "-" (account_signup), or is.
_ENDINGS: dict[str, tuple[str, ...]] = {
    "signup": ("signup", "sign_up", "sign-up", "register"),
    "login": ("login", "log_in", "log-in", "signin", "sign_in", "sign-in"),
    "logout": ("logout", "log_out", "log-out", "signout", "sign_out", "sign-out"),
}
# Words that fit only as the whole name: event_registration and group_join are other pages.
_WHOLE_NAMES: dict[str, tuple[str, ...]] = {
    "signup": ("registration", "join"),
    "login": (),
    "logout": (),
}
_SUFFIXES = {
    flow: tuple(f"{sep}{word}" for word in words for sep in "_-")
    for flow, words in _ENDINGS.items()
}
_SETTINGS = {"signup": "SIGNUP_URL", "login": "LOGIN_URL", "logout": "LOGOUT_URL"}
# How error messages describe the names that fit.
_FITTING = {
    "signup": (
        "one that takes no arguments and ends in signup, sign_up or register (such as "
        "'account_signup' or 'customer:register'), or is registration or join"
    ),
    "login": (
        "one that takes no arguments and ends in login, log_in, signin or sign_in (such as "
        "'account_login' or 'two_factor:login')"
    ),
}
# Names of Django's and popular packages' pages. When several names fit, the one such name
# among them wins: allauth also has socialaccount_signup, Oscar has dashboard:login.
_WELL_KNOWN: dict[str, frozenset[str]] = {
    "signup": frozenset(
        {
            "account_signup",  # django-allauth
            "customer:register",  # django-oscar
            "django_registration_register",  # django-registration
            "registration_register",  # django-registration-redux
        }
    ),
    "login": frozenset(
        {"login", "account_login", "customer:login", "two_factor:login", "auth_login"}
    ),
    "logout": frozenset({"logout", "account_logout", "customer:logout", "auth_logout"}),
}
# The login pages of tools rather than of the site: every project has admin:login.
_TOOL_NAMESPACES = ("admin:", "rest_framework:")
_TOOL_PREFIXES = ("wagtailadmin_",)
# Parts of names that hint at accounts, to list such names first when none fits.
_AUTH_STEMS = (
    "sign",
    "log",
    "regist",
    "join",
    "account",
    "auth",
    "user",
    "member",
    "customer",
    "password",
    "session",
    "profile",
)


def _is_tool_page(name: str) -> bool:
    return name.startswith(_TOOL_NAMESPACES) or name.rpartition(":")[2].startswith(_TOOL_PREFIXES)


def _fits(flow: str, name: str) -> bool:
    last = name.rpartition(":")[2].lower()
    return last in _ENDINGS[flow] or last in _WHOLE_NAMES[flow] or last.endswith(_SUFFIXES[flow])


class _Discovered:
    """What discovery found for one URL resolver, so flows pay for it once per URLconf."""

    def __init__(self, resolver: object) -> None:
        self.resolver = resolver
        self.names: dict[str, str | None] = {}
        self.resolves: dict[str, bool] = {}
        self.paths: dict[tuple[str, str, str | None], str] = {}
        self.translated: bool | None = None


_discovered = _Discovered(None)
# django.urls, imported on first use (importing the kit imports no Django) and kept: an
# import statement would cost as much as the rest of a cached lookup.
_django_urls: Any = None


def _current() -> _Discovered:
    global _discovered, _django_urls
    if _django_urls is None:
        import django.urls

        _django_urls = django.urls
    # override_settings(ROOT_URLCONF=...) makes Django drop its resolvers, so a new resolver
    # object is a new URLconf. Flows run outside requests, where reverse() uses ROOT_URLCONF
    # too, and get_urlconf() would cost more than the rest of a cached lookup.
    resolver = _django_urls.get_resolver()
    if _discovered.resolver is not resolver:
        _discovered = _Discovered(resolver)
    return _discovered


@overload
def flow_path(flow: Literal["signup", "login"], owner: object | None = None) -> str: ...
@overload
def flow_path(flow: str, owner: object | None = None) -> str | None: ...
def flow_path(flow: str, owner: object | None = None) -> str | None:
    """The path of the project's ``flow`` page, from the kit's setting, else found by its URL name.

    For logout, None means the project has no logout page. Raises ValueError naming the setting.
    """
    key = _SETTINGS.get(flow)
    if key is None:
        raise ValueError(f"flow must be 'signup', 'login' or 'logout', not {flow!r}.")
    configured = conf.get_setting(key, owner)
    if configured is not None:
        if "://" in configured:  # an outside login page; conf allows it for LOGIN_URL only
            return str(configured)
        return _resolve_configured(configured, conf.origin(key, owner), flow)
    if flow == "login":
        return _login_path_from_settings()
    return _discover(flow)


def _reversed(name: str, current: _Discovered | None = None) -> str:
    """``reverse(name)``, cached: flows ask on every call, and reverse() costs microseconds."""
    if current is None:
        current = _current()
    if current.translated is None:
        current.translated = _is_translated(current.resolver)
    # The path follows the script prefix, and the language where URLs are translated; asking
    # for the language costs more than the rest, so only those URLconfs pay for it.
    key = (name, _django_urls.get_script_prefix(), _language() if current.translated else None)
    path: str | None = current.paths.get(key)
    if path is None:
        path = current.paths[key] = _django_urls.reverse(name)
    return path


def _language() -> str | None:
    from django.utils.translation import get_language

    return get_language()


def _is_translated(resolver: Any) -> bool:
    """Whether the URLconf has i18n_patterns() or a translated route."""
    from django.urls import LocalePrefixPattern, URLResolver
    from django.utils.functional import Promise

    for pattern in resolver.url_patterns:
        kind = pattern.pattern
        if isinstance(kind, LocalePrefixPattern) or isinstance(
            getattr(kind, "_route", getattr(kind, "_regex", None)), Promise
        ):
            return True
        if isinstance(pattern, URLResolver) and _is_translated(pattern):
            return True
    return False


def _resolve_configured(target: str, where: str, flow: str) -> str:
    from django.urls import NoReverseMatch

    if target.startswith("/"):
        return target
    if "/" not in target and not target.startswith(("http:", "https:")):
        try:
            return _reversed(target)
        except NoReverseMatch:
            pass  # resolve_url says why
    try:
        return resolve_url(target)
    except ValueError as error:
        fix = (
            "set that to the login page's URL name or path"
            if where == "settings.LOGIN_URL"
            else f"set that to a URL name or path, or to None to find the {flow} page by its name"
        )
        raise ValueError(f"{error} It is the value of {where}; {fix}.") from None


def _login_path_from_settings() -> str:
    from django.conf import global_settings, settings

    target = str(settings.LOGIN_URL)  # str(): it may be reverse_lazy()
    if "://" in target:
        return target
    if not target.startswith("/"):
        return _resolve_configured(target, "settings.LOGIN_URL", "login")
    # A LOGIN_URL the project chose is trusted (a middleware may serve it). Django's default
    # '/accounts/login/' is only a guess that many sites leave, or copy, uncorrected.
    if target != global_settings.LOGIN_URL or _resolves(target):
        return target
    return _discover(
        "login",
        f"settings.LOGIN_URL is Django's default {target!r}, which is not a URL of the "
        "project, and ",
    )


def is_flow_page(flow: str, path: str) -> bool:
    """Whether ``path`` is a page of the project whose URL name fits ``flow``, as
    /dashboard/login/ (Oscar's dashboard:login) fits a login page."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path.partition("?")[0])
    except Resolver404:
        return False
    return bool(match.url_name) and _fits(flow, match.view_name)


def _resolves(path: str) -> bool:
    from django.urls import Resolver404, resolve

    cache = _current().resolves
    if path not in cache:
        try:
            resolve(path.partition("?")[0])
        except Resolver404:
            cache[path] = False
        else:
            cache[path] = True
    return cache[path]


@overload
def _discover(flow: Literal["signup", "login"], reason: str = "") -> str: ...
@overload
def _discover(flow: str, reason: str = "") -> str | None: ...
def _discover(flow: str, reason: str = "") -> str | None:
    current = _current()
    if flow not in current.names:
        current.names[flow] = _choose(flow, reason)
    name = current.names[flow]
    return None if name is None else _reversed(name, current)


def _choose(flow: str, reason: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    names = url_names()
    fitting: list[tuple[str, str]] = []
    for name in names:
        if _fits(flow, name):
            try:
                fitting.append((name, reverse(name)))
            except NoReverseMatch:  # a page that needs URL arguments is not the flow's page
                continue
    chosen = [(n, p) for n, p in fitting if not _is_tool_page(n)] or fitting
    well_known = [(n, p) for n, p in chosen if n in _WELL_KNOWN[flow]]
    if len(well_known) == 1:
        chosen = well_known
    if len(chosen) == 1:
        return chosen[0][0]
    if chosen:
        listed = ", ".join(f"{n!r} ({p})" for n, p in chosen)
        raise ValueError(
            _sentence(reason, f"several URLs fit a {flow} page: {listed}. ")
            + f"{_fix(flow)} to the one the kit should use."
        )
    if flow == "logout":
        return None
    raise ValueError(
        _sentence(reason, f"no URL name of the project fits a {flow} page: {_FITTING[flow]}. ")
        + f"The closest names: {_closest(names, flow)}. "
        f"{_fix(flow)} to the {flow} page's URL name or path."
    )


def _sentence(reason: str, body: str) -> str:
    return reason + body if reason else body[0].upper() + body[1:]


def _fix(flow: str) -> str:
    if flow == "login":
        return (
            "Set settings.LOGIN_URL (or INTEGRATION_KIT['LOGIN_URL'], or login_url on the test "
            "class)"
        )
    return f"Set INTEGRATION_KIT['{flow.upper()}_URL'] (or {flow}_url on the test class)"


def _closest(names: list[str], flow: str, count: int = 10) -> str:
    """The ``count`` names most like account pages: auth-ish ones first, tools' names last."""
    from django.urls import NoReverseMatch, reverse

    words = [*_ENDINGS[flow], *_WHOLE_NAMES[flow]]

    def rank(name: str) -> tuple[bool, bool, float, bool, str]:
        parts = re.split(r"[_\-:.]+", name.lower())
        if not any(part.startswith(_AUTH_STEMS) for part in parts):
            return (_is_tool_page(name), True, 0.0, ":" in name, name)
        last = name.rpartition(":")[2].lower()
        likeness = max(difflib.SequenceMatcher(None, last, word).ratio() for word in words)
        return (_is_tool_page(name), False, -likeness, ":" in name, name)

    def shown(name: str) -> str:
        try:
            reverse(name)
        except NoReverseMatch:
            return f"{name} (takes arguments)"
        return name

    ranked = sorted(names, key=rank)
    listed = ", ".join(shown(name) for name in ranked[:count])
    more = f" and {len(ranked) - count} more" if len(ranked) > count else ""
    return listed + more if listed else "(the project has no URL names)"
