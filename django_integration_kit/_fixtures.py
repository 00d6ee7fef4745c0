"""``load_fixture``: a JSON or YAML fixture into the test database, with errors that point."""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
import sys
import sysconfig
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django_integration_kit import _frames

if TYPE_CHECKING:
    from types import FrameType

    from django.core.serializers.base import DeserializedObject
    from django.db.models import Model

_frames.hide(globals())

_PACKAGE_DIR = str(Path(__file__).resolve().parent) + os.sep
_FORMATS = {".json": "JSON", ".yaml": "YAML", ".yml": "YAML"}
_OBJECT_KEYS = ("model", "pk", "fields")
_BAD_ROW = re.compile(r"table '(?P<table>[^']+)' with primary key '(?P<pk>[^']*)'")


def load_fixture(path: str | os.PathLike[str], *, using: str = "default") -> list[Model]:
    """Save the objects of a JSON or YAML fixture (Django's format) and return them.

    A relative ``path`` is looked up in the current directory, then beside the calling file.
    Loading is all or nothing: on a bad object nothing is saved and the error names the file,
    the object's index and the field.
    """
    file = _find(Path(path), _caller_dir())
    return _save_all(file, _read(file), using)


def _caller_dir() -> Path | None:
    """The directory of the first file up the stack that is not part of the kit, of Python's
    standard library or of an installed package (a decorator's or wrapper's frame)."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_library_dirs()) and not filename.startswith("<"):
            return Path(filename).resolve().parent
        frame = frame.f_back
    return None


@functools.cache
def _library_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    found = {_PACKAGE_DIR}
    found.update(os.path.join(paths[key], "") for key in ("stdlib", "purelib", "platlib"))
    return tuple(found)


def _find(path: Path, caller_dir: Path | None) -> Path:
    if path.is_absolute():
        candidates = [path]
    else:
        candidates = [Path.cwd() / path]
        if caller_dir is not None and caller_dir / path not in candidates:
            candidates.append(caller_dir / path)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    looked = " and ".join(str(candidate) for candidate in candidates)
    hint = (
        ""
        if path.is_absolute()
        else " A relative path is looked up in the current directory, then beside the test file."
    )
    raise FileNotFoundError(f"Fixture file {str(path)!r} not found; looked for {looked}.{hint}")


def _read(file: Path) -> list[dict[str, Any]]:
    kind = _FORMATS.get(file.suffix.lower())
    if kind is None:
        raise ValueError(
            f"Fixture {file} has an unsupported format; load_fixture() reads .json, .yaml and "
            ".yml files in Django's serialization format."
        )
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"Fixture {file} is not UTF-8 text: {error}.") from error
    data = _parse_json(file, text) if kind == "JSON" else _parse_yaml(file, text)
    if not isinstance(data, list):
        raise ValueError(
            f"Fixture {file} must hold a list of objects in Django's serialization format "
            f'([{{"model": "app.model", "pk": 1, "fields": {{...}}}}, ...]), '
            f"not {type(data).__name__}."
        )
    for index, obj in enumerate(data):
        _check_shape(file, index, obj)
    return data


def _parse_json(file: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"Fixture {file} is not valid JSON: {error}.") from error


def _parse_yaml(file: Path, text: str) -> Any:
    try:
        import yaml
    except ImportError as error:
        raise ImportError(
            f"Fixture {file} is YAML, which needs PyYAML: pip install django-integration-kit[yaml]"
        ) from error
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        where = ""
        mark = getattr(error, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1} column {mark.column + 1}"
        problem = getattr(error, "problem", None) or str(error)
        raise ValueError(f"Fixture {file} is not valid YAML: {problem}{where}.") from error


def _where(file: Path, index: int, model: str | None = None, field: str | None = None) -> str:
    text = f"Fixture {file}, object at index {index} (counting from 0)"
    if model is not None:
        text += f", model {model}"
    if field is not None:
        text += f", field {field!r}"
    return text


def _check_shape(file: Path, index: int, obj: Any) -> None:
    if not isinstance(obj, dict) or "model" not in obj:
        raise ValueError(
            f"{_where(file, index)}: expected a mapping with the keys model, pk and fields, "
            f"got {obj!r}."
        )
    unknown = [key for key in obj if key not in _OBJECT_KEYS]
    if unknown:
        raise ValueError(
            f"{_where(file, index)}: unknown key {unknown[0]!r}; an object has the keys "
            "model, pk and fields."
        )
    if not isinstance(obj.get("fields", {}), dict):
        raise ValueError(
            f"{_where(file, index)}: fields must be a mapping of field names to values."
        )


def _model(file: Path, index: int, label: Any) -> type[Model]:
    from django.apps import apps

    try:
        return apps.get_model(str(label))
    except (LookupError, ValueError):
        pass
    labels = [model._meta.label_lower for model in apps.get_models()]
    close = difflib.get_close_matches(str(label).lower(), labels, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"{_where(file, index)}: unknown model {label!r}.{hint}")


def _field_names(model: type[Model]) -> list[str]:
    opts = model._meta
    return sorted({f.name for f in opts.concrete_fields} | {f.name for f in opts.many_to_many})


def _check_fields(file: Path, index: int, model: type[Model], fields: dict[str, Any]) -> None:
    names = _field_names(model)
    for name in fields:
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(
                f"{_where(file, index, model._meta.label_lower)}: unknown field {name!r}.{hint} "
                f"Its fields are: {', '.join(names)}."
            )


def _deserialize(obj: dict[str, Any], using: str) -> DeserializedObject:
    from django.core import serializers

    objects = serializers.deserialize("python", [obj], using=using, handle_forward_references=True)
    return next(iter(objects))


def _reason(error: BaseException) -> str:
    from django.core.exceptions import ValidationError

    # Django wraps the field's own error; that one says what is wrong with the value.
    cause = error.__cause__ or error.__context__ or error
    if isinstance(cause, ValidationError):
        return " ".join(cause.messages)
    return str(cause)


def _bad_value(file: Path, index: int, obj: dict[str, Any], using: str, error: Exception) -> str:
    """Which part of ``obj`` Django could not read: its pk or one field, tried one at a time."""
    label = str(obj["model"]).lower()
    parts: list[tuple[str, dict[str, Any]]] = []
    if "pk" in obj:
        parts.append(("pk", {"model": obj["model"], "pk": obj["pk"], "fields": {}}))
    for name, value in obj.get("fields", {}).items():
        parts.append((name, {"model": obj["model"], "fields": {name: value}}))
    for name, part in parts:
        try:
            _deserialize(part, using)
        except Exception as part_error:
            return f"{_where(file, index, label, name)}: {_reason(part_error)}"
    return f"{_where(file, index, label)}: {_reason(error)}"


def _save_all(file: Path, data: list[dict[str, Any]], using: str) -> list[Model]:
    from django.db import DatabaseError, connections, transaction

    connection = connections[using]
    saved: list[tuple[int, DeserializedObject]] = []
    with transaction.atomic(using=using):
        with connection.constraint_checks_disabled():
            for index, obj in enumerate(data):
                model = _model(file, index, obj["model"])
                _check_fields(file, index, model, obj.get("fields", {}))
                obj = {**obj, "fields": obj.get("fields", {})}
                try:
                    deserialized = _deserialize(obj, using)
                except Exception as error:
                    raise ValueError(_bad_value(file, index, obj, using, error)) from error
                try:
                    deserialized.save(using=using)
                except DatabaseError as error:
                    raise ValueError(_refused(file, index, model, error)) from error
                saved.append((index, deserialized))
            for index, deserialized in saved:
                if deserialized.deferred_fields:
                    try:
                        deserialized.save_deferred_fields(using=using)
                    except Exception as error:
                        model = type(deserialized.object)
                        names = ", ".join(repr(f.name) for f in deserialized.deferred_fields)
                        raise ValueError(
                            f"{_where(file, index, model._meta.label_lower)}: the objects that "
                            f"{names} refers to by natural key are not in the database: "
                            f"{_reason(error)}."
                        ) from error
        models = {type(d.object) for _, d in saved}
        try:
            connection.check_constraints(table_names=[m._meta.db_table for m in models])
        except DatabaseError as error:
            raise ValueError(_broken_reference(file, saved, error)) from error
        _reset_sequences(connection, models)
    return [deserialized.object for _, deserialized in saved]


def _column_field(model: type[Model], text: str) -> str | None:
    """The field of ``model`` whose column a database error names, where it names one."""
    table = model._meta.db_table
    for field in model._meta.concrete_fields:
        column = field.column
        patterns = (f"{table}.{column}", f'column "{column}"', f"Column '{column}'", f"`{column}`")
        if any(pattern in text for pattern in patterns):
            return field.name
    return None


def _refused(file: Path, index: int, model: type[Model], error: Exception) -> str:
    text = str(error).strip().rstrip(".")
    field = _column_field(model, text)
    return (
        f"{_where(file, index, model._meta.label_lower, field)}: the database refused it: {text}."
    )


def _broken_reference(
    file: Path, saved: list[tuple[int, DeserializedObject]], error: Exception
) -> str:
    text = str(error).strip()
    match = _BAD_ROW.search(text)
    if match:
        for index, deserialized in saved:
            obj = deserialized.object
            if obj._meta.db_table == match["table"] and str(obj.pk) == match["pk"]:
                field = _column_field(type(obj), text)
                return (
                    f"{_where(file, index, obj._meta.label_lower, field)}: it refers to a row "
                    f"that does not exist: {text} Add that row to the fixture, or load the "
                    "fixture that has it first."
                )
    return f"Fixture {file} refers to rows that do not exist: {text}"


def _reset_sequences(connection: Any, models: set[type[Model]]) -> None:
    from django.core.management.color import no_style

    # Fixtures set primary keys themselves; objects created afterwards must not collide.
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
