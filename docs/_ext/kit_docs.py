"""The docs' own Sphinx extension: complete examples, real failure output, no theme errors.

- ``literalinclude`` of a ``:pyobject:`` from a Python file shows the imports and module-level
  constants and helpers the object uses (and, for a method, its class line), so every example
  can be pasted and run. ``:no-context:`` turns that off; so does ``:start-after:`` or
  ``:start-at:``, where the snippet is not a whole object.
- ``.. failure-output:: Class.test_name`` shows how pytest reports that test of
  ``docs/examples/test_docs_failures.py``, run once per build; the build fails if the test
  passes, so the messages in the docs are the kit's current ones.
- After an HTML build, any page with furo's "table of contents" error box, or a docutils
  problem rendered into the page, fails the build.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.code import LiteralInclude
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[2]
FAILURES = ROOT / "docs" / "examples" / "test_docs_failures.py"

# ---------------------------------------------------------------------------------------------
# Complete examples


def _bound_names(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return [(alias.asname or alias.name).split(".")[0] for alias in stmt.names]
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [stmt.name]
    if isinstance(stmt, ast.Assign):
        return [n.id for t in stmt.targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    return []


def _used_names(*trees: ast.AST) -> set[str]:
    return {
        node.id
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }


def _import_line(stmt: ast.Import | ast.ImportFrom, wanted: set[str]) -> str:
    kept = [a for a in stmt.names if (a.asname or a.name).split(".")[0] in wanted]
    names = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in kept)
    if isinstance(stmt, ast.Import):
        return f"import {names}"
    return f"from {'.' * stmt.level}{stmt.module or ''} import {names}"


def _start(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", [])
    return min([stmt.lineno, *(d.lineno for d in decorators)])


def complete_example(path: Path, pyobject: str, shown: str | None = None) -> str:
    """The object's source with what it needs from its module above it."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    module = ast.parse(source)
    parts = pyobject.split(".")
    owner: ast.ClassDef | None = None
    body: list[ast.stmt] = module.body
    target: ast.stmt | None = None
    for index, part in enumerate(parts):
        found = next((s for s in body if getattr(s, "name", None) == part), None)
        if found is None:
            raise ExtensionError(f"{path}: no {pyobject!r}")
        if index < len(parts) - 1:
            if not isinstance(found, ast.ClassDef):
                raise ExtensionError(f"{path}: {part!r} is not a class")
            owner, body = found, found.body
        target = found
    assert target is not None
    header: list[str] = []
    needs: list[ast.AST] = [target]
    if owner is not None:
        # The class's decorators and ``class`` line(s), without its docstring or other members.
        header = lines[_start(owner) - 1 : owner.body[0].lineno - 1]
        header = [line for line in header if line.strip()]
        needs.extend([*owner.decorator_list, *owner.bases, *owner.keywords])
    providers = {name: stmt for stmt in module.body for name in _bound_names(stmt)}
    wanted: set[str] = set()
    todo = _used_names(*needs)
    chosen: set[int] = set()
    while todo:
        name = todo.pop()
        stmt = providers.get(name)
        if stmt is None or stmt is target or stmt is owner or name in wanted:
            continue
        wanted.add(name)
        if id(stmt) not in chosen and not isinstance(stmt, (ast.Import, ast.ImportFrom)):
            todo |= _used_names(stmt)
        chosen.add(id(stmt))
    imports: list[str] = []
    chunks: list[tuple[bool, str]] = []  # (is a def or class, its source)
    last_import_end = 0
    for stmt in module.body:
        if id(stmt) not in chosen:
            continue
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            gap = lines[last_import_end : stmt.lineno - 1] if last_import_end else []
            if any(not line.strip() for line in gap):
                imports.append("")  # the module's own grouping of its imports
            imports.append(_import_line(stmt, wanted))
            last_import_end = stmt.end_lineno or stmt.lineno
        else:
            is_def = isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            chunks.append((is_def, "\n".join(lines[_start(stmt) - 1 : stmt.end_lineno])))
    if shown is None:
        shown = "\n".join(lines[_start(target) - 1 : target.end_lineno])
    if owner is not None:
        shown = "\n".join([*header, shown if shown.startswith(" ") else _indent(shown)])
    text = "\n".join(imports)
    previous_def = True
    for is_def, chunk in chunks:
        separator = "\n\n\n" if is_def or previous_def else "\n"
        text = f"{text}{separator}{chunk}" if text else chunk
        previous_def = is_def
    text = f"{text}\n\n\n{shown}" if text else shown
    return text.rstrip() + "\n"


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line.strip() else line for line in text.splitlines())


class CompleteLiteralInclude(LiteralInclude):
    option_spec = {**LiteralInclude.option_spec, "no-context": directives.flag}

    def run(self) -> list[nodes.Node]:
        result = super().run()
        options = self.options
        if (
            "pyobject" not in options
            or "no-context" in options
            or {"start-after", "start-at", "lines"} & set(options)
            or not self.arguments[0].endswith(".py")
        ):
            return result
        _, filename = self.env.relfn2path(self.arguments[0])
        path = Path(filename)
        for block in result[0].findall(nodes.literal_block) if result else []:
            shown = block.astext()
            if "end-before" in options or "end-at" in options:
                shown = _reindent_like(path, options["pyobject"], shown)
            else:
                shown = None
            text = complete_example(path, options["pyobject"], shown)
            block.children = [nodes.Text(text)]
            block.rawsource = text
            break
        return result


def _reindent_like(path: Path, pyobject: str, shown: str) -> str:
    if "." in pyobject and not shown.startswith(" "):
        return _indent(shown)
    return shown


# ---------------------------------------------------------------------------------------------
# Real failure output


def _run_failures(app: Any) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONWARNINGS": ""}
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.xml"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:randomly",
                "-p",
                "no:cacheprovider",
                "--tb=short",
                f"--junitxml={report}",
                str(FAILURES.relative_to(ROOT)),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if not report.exists():
            raise ExtensionError(f"docs examples did not run:\n{done.stdout}\n{done.stderr}")
        tree = ElementTree.parse(report)
    outputs: dict[str, str | None] = {}
    for case in tree.iter("testcase"):
        key = f"{case.get('classname', '').rsplit('.', 1)[-1]}.{case.get('name')}"
        failure = case.find("failure")
        error = case.find("error")
        if error is not None:
            raise ExtensionError(f"docs example {key} errored:\n{error.text}")
        outputs[key] = None if failure is None else (failure.text or "")
    app.env.kit_failures = outputs  # type: ignore[attr-defined]


_FRAME = re.compile(r"^\S.*:\d+: in ")


def _shorten(longrepr: str) -> str:
    """The test's line and the error, as pytest prints them; frames in between are cut."""
    lines = longrepr.rstrip().splitlines()
    errors = [line for line in lines if line.startswith("E ")]
    frames = [line for line in lines if not line.startswith("E ")]
    kept = frames[:2]
    hidden = sum(1 for frame in frames[2:] if _FRAME.match(frame))
    if hidden:
        kept.append(f"    ... ({hidden} more frames)")
    return "\n".join([*kept, *errors])


class FailureOutput(SphinxDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0]
        outputs: dict[str, str | None] = getattr(self.env, "kit_failures", {})
        if key not in outputs:
            raise self.error(f"failure-output: no test {key!r} in {FAILURES.name}")
        longrepr = outputs[key]
        if longrepr is None:
            raise self.error(f"failure-output: {key} passed; the docs expect it to fail")
        title = key.replace(".", "::")
        text = f"$ python -m pytest docs/examples/{FAILURES.name}::{title}\n" + _shorten(longrepr)
        block = nodes.literal_block(text, text, language="text")
        self.env.note_dependency(str(FAILURES))
        return [block]


# ---------------------------------------------------------------------------------------------
# No theme error boxes

_PROBLEMS = {
    # furo draws a red error box over a ``.. contents::`` table.
    "a table of contents (furo's error box)": re.compile(
        r'class="[^"]*\bcontents\b(?![^"]*this-will-duplicate)'
    ),
    "a docutils problem": re.compile(r'class="[^"]*\b(system-message|problematic)\b'),
}


def _check_html(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    found = []
    for page in sorted(Path(app.outdir).rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for what, pattern in _PROBLEMS.items():
            if pattern.search(html):
                found.append(f"{page.relative_to(app.outdir)}: {what}")
    if found:
        raise ExtensionError("the built pages show errors:\n  " + "\n  ".join(found))


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("literalinclude", CompleteLiteralInclude, override=True)
    app.add_directive("failure-output", FailureOutput)
    app.connect("builder-inited", _run_failures)
    app.connect("build-finished", _check_html)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
