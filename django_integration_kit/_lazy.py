"""A package's public names imported from their modules when first used (PEP 562), so that
importing the package imports nothing else."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from importlib import import_module

from django_integration_kit import _frames

_frames.hide(globals())


def lazy_names(
    namespace: MutableMapping[str, object], modules: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of the package whose ``globals()`` is
    ``namespace``: each name of ``modules`` is imported from the module it maps to."""
    package = namespace["__name__"]

    def __getattr__(name: str) -> object:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *modules})

    return __getattr__, __dir__
