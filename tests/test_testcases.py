from django.conf import settings
from django.core.cache import cache

from django_integration_kit import IntegrationTestCase, KitClient


class DefaultsTests(IntegrationTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.shared = cls.make_user()

    def test_the_client_is_the_kits(self):
        assert isinstance(self.client, KitClient)

    def test_a_fast_hasher_is_used_and_the_projects_hashers_still_check(self):
        assert settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")
        assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in settings.PASSWORD_HASHERS

    def test_setup_test_data_users_have_fast_hashes(self):
        assert self.shared.password.startswith("md5$")

    def test_caches_are_cleared_before_each_test_a(self):
        assert cache.get("leak") is None
        cache.set("leak", 1)

    def test_caches_are_cleared_before_each_test_b(self):
        assert cache.get("leak") is None
        cache.set("leak", 1)

    def test_url_resolves_names(self):
        assert self.url("profile") == "/profile/"

    def test_last_response_follows_the_client(self):
        response = self.client.get("/")
        assert self.last_response is response


class OptOutTests(IntegrationTestCase):
    fast_password_hasher = False
    clear_caches = False
    enforce_csrf = True

    def test_the_projects_hasher_is_kept(self):
        assert not settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")

    def test_csrf_is_enforced_on_raw_posts(self):
        assert self.client.post("/contact/", {"name": "x"}).status_code == 403

    def test_kit_forms_still_pass_csrf(self):
        self.client.get("/contact/")
        assert self.submit_form(name="Bob").status_code == 302


def test_the_hasher_is_restored_after_the_class():
    assert not settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")
