"""The seed journey and the JavaScript notes page in a real browser.

These tests skip, saying what to install, where Playwright or Chromium is missing.
"""

from django.urls import reverse

from django_integration_kit.browser import BrowserTestCase


class SeedJourneyBrowserTest(BrowserTestCase):
    def test_signup_redirects_to_login_and_login_shows_the_dashboard(self):
        user = self.signup(username="hasnat", password="strongPass123")
        assert user.username == "hasnat"
        assert self.page.url == self.live_server_url + reverse("login")
        assert "Your account is ready. Please log in." in self.page.inner_text(".messages")

        self.login("hasnat", "strongPass123")

        assert self.page.url == self.live_server_url + reverse("dashboard")
        assert self.page.inner_text("main p") == "Welcome, hasnat"

    def test_dashboard_requires_login(self):
        self.assert_login_required("dashboard")

    def test_notes_require_login(self):
        self.assert_login_required("notes")

    def test_write_a_note_reveals_the_form_and_saves_the_note(self):
        self.login_as(username="noa")
        self.visit("notes")
        note = self.page.get_by_label("Note")
        assert not note.is_visible()

        self.page.get_by_role("button", name="Write a note").click()
        note.fill("Buy milk")
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Save note").click()

        assert self.page.locator("#notes li").all_inner_texts() == ["Buy milk"]
        assert "Note saved." in self.page.inner_text(".messages")
        assert self.console_errors == []
