"""Sphinx configuration for django-integration-kit's documentation.

Build: ``sphinx-build -W --keep-going -b html docs docs/_build/html`` (or ``tox -e docs``).
"""

from __future__ import annotations

import os
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# autodoc imports the test cases and the browser module, which import Django's test
# machinery and so need settings; the test project provides them. The kit itself is imported
# from the installed package.
sys.path.insert(0, str(ROOT / "testproject"))
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _setup_django() -> None:
    try:
        import django
        from django.apps import apps
    except ImportError:  # autodoc then reports each module it cannot import
        return
    if not apps.ready:
        django.setup()


_setup_django()

project = "django-integration-kit"
author = "django-integration-kit developers"
copyright = "django-integration-kit developers"
try:
    release = metadata.version("django-integration-kit")
except metadata.PackageNotFoundError:
    release = "unreleased"
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "myst_parser",
    # Complete examples, failure output from real runs, and no theme error boxes.
    "kit_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", "examples"]

# The docs build offline with warnings as errors, so no inventory is fetched. Where the
# network is available, this links every Django name in the API reference to Django's docs:
# intersphinx_mapping = {
#     "python": ("https://docs.python.org/3", None),
#     "django": (
#         "https://docs.djangoproject.com/en/stable/",
#         "https://docs.djangoproject.com/en/stable/_objects/",
#     ),
# }
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_class_signature = "separated"
# An override without a docstring would otherwise show Django's, written for Django's docs.
autodoc_inherit_docstrings = False

myst_heading_anchors = 3

html_theme = "furo"
html_title = f"django-integration-kit {release}"
html_static_path: list[str] = []


def _describe_bound_method(
    app: object, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Give each undocumented method of ``KitMethods`` the summary of the function it binds."""
    prefix = "django_integration_kit.kit.KitMethods."
    if lines or not name.startswith(prefix):
        return
    import importlib
    import inspect

    method = name.removeprefix(prefix)
    for module_name in (
        "django_integration_kit.flows",
        "django_integration_kit.forms",
        "django_integration_kit.pages",
        "django_integration_kit.crawl",
        "django_integration_kit.assertions",
        "django_integration_kit.services.http",
        "django_integration_kit.services.time",
        "django_integration_kit.services.mail",
    ):
        function = getattr(importlib.import_module(module_name), method, None)
        if function is not None and function.__module__ == module_name:
            summary = (inspect.getdoc(function) or "").split("\n\n")[0]
            takes_client = next(iter(inspect.signature(function).parameters), "") == "client"
            bound = " with ``self.client`` as its client" if takes_client else ""
            lines[:] = [f":obj:`{module_name}.{method}`{bound}.", ""]
            lines.extend(summary.splitlines())
            return


def setup(app: object) -> None:
    app.connect("autodoc-process-docstring", _describe_bound_method)  # type: ignore[attr-defined]
