import sys
from decimal import Decimal
from pathlib import Path

import pytest
from catalog.models import Category, Product
from django.db import connection

from django_integration_kit import IntegrationTestCase, builders, load_fixture, make

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture(name):
    return FIXTURES / name


# loading


def test_load_fixture_saves_a_json_fixture_and_returns_the_objects():
    objects = load_fixture(fixture("catalog.json"))

    assert [(type(o).__name__, o.pk) for o in objects] == [
        ("Product", 1),
        ("Category", 1),
        ("Category", 2),
        ("Product", 2),
    ]
    cup = Product.objects.get(slug="espresso-cup")
    assert cup.category.name == "Kitchen"
    assert cup.price == Decimal("4.50")
    assert Category.objects.count() == 2


def test_load_fixture_saves_a_yaml_fixture():
    objects = load_fixture(fixture("catalog.yaml"))

    assert [str(o) for o in objects] == ["Kitchen", "Espresso cup"]
    assert Product.objects.get().category.slug == "kitchen"


def test_load_fixture_is_reexported_by_builders():
    assert builders.load_fixture is load_fixture


def test_objects_made_after_a_fixture_get_fresh_primary_keys():
    load_fixture(fixture("catalog.json"))

    category = make(Category, slug="new")

    assert category.pk not in (1, 2)


def test_loading_the_same_fixture_twice_updates_the_rows():
    load_fixture(fixture("catalog.json"))
    Category.objects.filter(pk=1).update(name="Renamed")

    load_fixture(fixture("catalog.json"))

    assert Category.objects.get(pk=1).name == "Kitchen"
    assert Category.objects.count() == 2


# relative paths


def test_a_relative_path_is_found_beside_the_calling_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    load_fixture("fixtures/catalog.yaml")

    assert Category.objects.get().slug == "kitchen"


def test_a_relative_path_is_found_in_the_current_directory_first(tmp_path, monkeypatch):
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "catalog.json").write_text(
        '[{"model": "catalog.category", "pk": 5, "fields": {"name": "Here", "slug": "here"}}]'
    )
    monkeypatch.chdir(tmp_path)

    objects = load_fixture("fixtures/catalog.json")

    assert [c.slug for c in objects] == ["here"]


# bad input


def test_a_missing_file_names_the_places_looked_in(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    with pytest.raises(FileNotFoundError) as excinfo:
        load_fixture("fixtures/nope.json")

    assert str(excinfo.value) == (
        f"Fixture file 'fixtures/nope.json' not found; looked for {tmp_path}/fixtures/nope.json "
        f"and {FIXTURES}/nope.json. A relative path is looked up in the current directory, "
        "then beside the test file."
    )


def test_a_missing_absolute_path_is_named(tmp_path):
    with pytest.raises(FileNotFoundError) as excinfo:
        load_fixture(tmp_path / "nope.json")

    assert str(excinfo.value) == (
        f"Fixture file '{tmp_path}/nope.json' not found; looked for {tmp_path}/nope.json."
    )


def test_a_file_that_is_not_json_is_an_error_with_the_line():
    with pytest.raises(ValueError) as excinfo:
        load_fixture(fixture("broken.json"))

    assert str(excinfo.value) == (
        f"Fixture {FIXTURES}/broken.json is not valid JSON: "
        "Expecting ',' delimiter: line 3 column 3 (char 95)."
    )


def test_a_file_that_is_not_yaml_is_an_error_with_the_line():
    with pytest.raises(ValueError) as excinfo:
        load_fixture(fixture("broken.yaml"))

    assert str(excinfo.value) == (
        f"Fixture {FIXTURES}/broken.yaml is not valid YAML: "
        "expected ',' or '}', but got ':' at line 4 column 8."
    )


def test_yaml_without_pyyaml_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)

    with pytest.raises(ImportError) as excinfo:
        load_fixture(fixture("catalog.yaml"))

    assert str(excinfo.value) == (
        f"Fixture {FIXTURES}/catalog.yaml is YAML, which needs PyYAML: "
        "pip install django-integration-kit[yaml]"
    )


def test_an_unsupported_format_is_an_error(tmp_path):
    path = tmp_path / "catalog.xml"
    path.write_text("<django-objects/>")

    with pytest.raises(ValueError) as excinfo:
        load_fixture(path)

    assert str(excinfo.value) == (
        f"Fixture {path} has an unsupported format; load_fixture() reads .json, .yaml and "
        ".yml files in Django's serialization format."
    )


def test_a_fixture_that_is_not_a_list_is_an_error():
    with pytest.raises(ValueError) as excinfo:
        load_fixture(fixture("not_a_list.json"))

    assert str(excinfo.value) == (
        f"Fixture {FIXTURES}/not_a_list.json must hold a list of objects in Django's "
        'serialization format ([{"model": "app.model", "pk": 1, "fields": {...}}, ...]), '
        "not dict."
    )


def test_an_object_without_a_model_is_an_error(tmp_path):
    path = tmp_path / "bare.json"
    path.write_text('[{"pk": 1}]')

    with pytest.raises(ValueError) as excinfo:
        load_fixture(path)

    assert str(excinfo.value) == (
        f"Fixture {path}, object at index 0 (counting from 0): expected a mapping with the "
        "keys model, pk and fields, got {'pk': 1}."
    )


def test_a_misspelt_key_is_an_error():
    with pytest.raises(ValueError) as excinfo:
        load_fixture(fixture("misspelt_key.json"))

    assert str(excinfo.value) == (
        f"Fixture {FIXTURES}/misspelt_key.json, object at index 0 (counting from 0): unknown "
        "key 'feilds'; an object has the keys model, pk and fields."
    )


def test_an_unknown_model_names_the_object_and_the_closest_model():
    with pytest.raises(ValueError) as excinfo:
        load_fixture(fixture("unknown_model.json"))

    assert str(excinfo.value) == (
        f"Fixture {FIXTURES}/unknown_model.json, object at index 1 (counting from 0): "
        "unknown model 'catalog.prodcut'. Did you mean 'catalog.product'?"
    )


def test_an_unknown_field_names_the_object_and_the_fields():
    with pytest.raises(ValueError) as excinfo:
        load_fixture(fixture("unknown_field.json"))

    assert str(excinfo.value) == (
        f"Fixture {FIXTURES}/unknown_field.json, object at index 1 (counting from 0), "
        "model catalog.product: unknown field 'prise'. Did you mean 'price'? "
        "Its fields are: category, id, name, price, slug."
    )


def test_a_bad_value_names_the_object_and_the_field():
    with pytest.raises(ValueError) as excinfo:
        load_fixture(fixture("bad_value.json"))

    assert str(excinfo.value) == (
        f"Fixture {FIXTURES}/bad_value.json, object at index 2 (counting from 0), "
        "model catalog.product, field 'price': “cheap” value must be a decimal number."
    )


def test_a_bad_primary_key_is_named_as_the_field_pk():
    with pytest.raises(ValueError) as excinfo:
        load_fixture(fixture("bad_pk.json"))

    assert str(excinfo.value) == (
        f"Fixture {FIXTURES}/bad_pk.json, object at index 0 (counting from 0), "
        "model catalog.category, field 'pk': “first” value must be an integer."
    )


def test_a_row_the_database_refuses_names_the_object_and_the_field():
    with pytest.raises(ValueError) as excinfo:
        load_fixture(fixture("missing_category.json"))

    assert str(excinfo.value).startswith(
        f"Fixture {FIXTURES}/missing_category.json, object at index 1 (counting from 0), "
        "model catalog.product, field 'category': the database refused it: "
    )


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL reports the broken reference alone."
)
def test_a_reference_to_a_missing_row_names_the_object_and_the_field():
    with pytest.raises(ValueError) as excinfo:
        load_fixture(fixture("dangling_reference.json"))

    assert str(excinfo.value) == (
        f"Fixture {FIXTURES}/dangling_reference.json, object at index 1 (counting from 0), "
        "model catalog.product, field 'category': it refers to a row that does not exist: "
        "The row in table 'catalog_product' with primary key '7' has an invalid foreign key: "
        "catalog_product.category_id contains a value '99' that does not have a corresponding "
        "value in catalog_category.id. Add that row to the fixture, or load the fixture that "
        "has it first."
    )


@pytest.mark.parametrize(
    "name", ["bad_value.json", "missing_category.json", "dangling_reference.json"]
)
def test_a_bad_object_leaves_nothing_saved(name):
    with pytest.raises(ValueError):
        load_fixture(fixture(name))

    assert not Category.objects.exists()
    assert not Product.objects.exists()


# the test-case method


class LoadFixtureMethodTests(IntegrationTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.categories = cls.load_fixture("fixtures/catalog.yaml")[:1]

    def test_the_class_can_load_in_set_up_test_data(self):
        assert [c.slug for c in self.categories] == ["kitchen"]
        assert Product.objects.get().name == "Espresso cup"

    def test_the_method_resolves_paths_beside_the_test_file(self):
        objects = self.load_fixture("fixtures/catalog.json")

        assert len(objects) == 4
        assert Category.objects.filter(slug="garden").exists()
