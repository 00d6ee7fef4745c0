import pytest
from django.contrib.auth import hashers
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import Group, User
from django.db import connection, models
from django.test.utils import isolate_apps

from django_integration_kit import make, make_recipe, make_user, prepare
from django_integration_kit.builders import password_hash

pytestmark = pytest.mark.django_db


class MD5PasswordHasher(hashers.MD5PasswordHasher):
    """A project's own hasher that happens to have the name of one of Django's."""

    algorithm = "project_md5"


def test_make_user_has_a_working_raw_password():
    user = make_user()

    assert user.pk is not None
    assert user.check_password(user.raw_password)


def test_make_user_gives_unique_usernames_and_emails():
    users = [make_user() for _ in range(3)]

    assert len({u.username for u in users}) == 3
    assert len({u.email for u in users}) == 3
    assert all(u.email.endswith("@example.com") for u in users)


def test_make_user_takes_fields_and_a_password():
    user = make_user(username="alex", password="s3cret-Pass", is_staff=True)

    assert (user.username, user.is_staff, user.raw_password) == ("alex", True, "s3cret-Pass")
    assert User.objects.get(username="alex").check_password("s3cret-Pass")


def test_make_user_keeps_a_given_email():
    user = make_user(email="alex@example.com")

    assert User.objects.get(pk=user.pk).email == "alex@example.com"


def test_make_user_with_no_password_is_unusable():
    user = make_user(password=None)

    assert not user.has_usable_password()


def test_unusable_passwords_are_each_their_own():
    # As set_unusable_password() makes them: no two users share a password hash.
    first, second = make_user(password=None), make_user(password=None)

    assert not second.has_usable_password()
    assert first.password != second.password


def test_the_password_hash_is_computed_once_per_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    first, second = make_user(), make_user()

    assert first.password == second.password
    assert password_hash(first.raw_password) is password_hash(first.raw_password)


def test_the_password_hash_is_made_again_for_a_hasher_named_like_another(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_user(password="s3cret-Pass")
    settings.PASSWORD_HASHERS = [f"{__name__}.MD5PasswordHasher"]

    user = make_user(password="s3cret-Pass")

    assert user.check_password("s3cret-Pass")


def test_make_and_prepare_pass_through_to_model_bakery():
    groups = make(Group, _quantity=2)
    unsaved = prepare(Group, name="editors")

    assert [g.pk is not None for g in groups] == [True, True]
    assert unsaved.pk is None and unsaved.name == "editors"


def test_make_recipe_names_a_model_bakery_recipe():
    user = make_recipe("accounts.staff_user")

    assert user.is_staff


def test_make_recipe_takes_overrides_and_a_quantity():
    editors = make_recipe("accounts.staff_user", first_name="Eve", _quantity=2)

    assert [(u.first_name, u.is_staff) for u in editors] == [("Eve", True), ("Eve", True)]
    assert User.objects.filter(first_name="Eve", is_staff=True).count() == 2


def test_make_user_refuses_a_quantity_naming_the_loop_to_write():
    with pytest.raises(TypeError) as excinfo:
        make_user(_quantity=2)

    assert str(excinfo.value) == (
        "make_user() makes one user, so it takes no _quantity= (got 2): each user needs its own "
        "username. Make several in a loop: users = [make_user() for _ in range(2)]."
    )
    assert not User.objects.exists()


def test_make_user_refuses_a_password_that_is_not_a_str():
    with pytest.raises(TypeError) as excinfo:
        make_user(password=1234)

    assert str(excinfo.value) == (
        "make_user() takes password= a str (or None for an unusable password), not int."
    )


# SQLite's schema editor, which makes the model's table, refuses to run in a transaction.
@pytest.mark.django_db(transaction=True)
@isolate_apps("trials")
def test_make_user_fills_a_custom_user_model_with_valid_values(monkeypatch):
    # A username that must be a slug, and no email field to fill in.
    class Member(AbstractBaseUser):
        handle = models.SlugField(unique=True)
        objects = BaseUserManager()
        USERNAME_FIELD = "handle"

        class Meta:
            app_label = "trials"

    monkeypatch.setattr("django.contrib.auth.get_user_model", lambda: Member)
    with connection.schema_editor() as editor:
        editor.create_model(Member)
    try:
        user = make_user()

        user.full_clean()
        assert user.check_password(user.raw_password)
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Member)
