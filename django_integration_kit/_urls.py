"""Strict resolution of URL names and literal paths."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from typing import Any


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

    # The project's own names first: a namespace such as admin: would crowd them out of a hint.
    return sorted(set(_url_names(get_resolver(urlconf).url_patterns)), key=lambda n: (":" in n, n))


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
