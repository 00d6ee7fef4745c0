"""Django's admin as a whole site: its login page, an add and a change form with an inline and a
multi-select, the changelist's "delete selected" action, logout and its login wall."""

from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from shelf.models import Author, Book, Chapter

from django_integration_kit import IntegrationTestCase


class AdminTestCase(IntegrationTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.root = cls.make_user(username="root", is_staff=True, is_superuser=True)
        cls.herbert = Author.objects.create(name="Frank Herbert")
        cls.anderson = Author.objects.create(name="Kevin J. Anderson")

    def assert_logged_in_as(self, user):
        assert self.client.session.get(SESSION_KEY) == str(user.pk)

    def assert_logged_out(self):
        assert SESSION_KEY not in self.client.session


class AdminZeroConfigTests(AdminTestCase):
    """No INTEGRATION_KIT settings: the site's LOGIN_URL is Django's default, /accounts/login/,
    which this site does not serve; the admin's own login page is admin:login."""

    def test_login_at_the_admin_login_page(self):
        response = self.login("root", self.root.raw_password, url="admin:login")

        self.assertRedirects(response, reverse("admin:index"))
        self.assert_logged_in_as(self.root)

    def test_login_finds_the_admin_login_page(self):
        response = self.login("root", self.root.raw_password)

        self.assertRedirects(response, reverse("admin:index"))
        self.assert_logged_in_as(self.root)

    def test_an_admin_page_needs_login(self):
        self.assert_login_required("admin:shelf_book_changelist")

    def test_logout_goes_through_the_admin_logout_view(self):
        self.login_as(self.root)

        self.logout()

        self.assert_logged_out()
        assert self.last_response is not None, "logout() sent no request"
        assert self.last_response.wsgi_request.path == reverse("admin:logout")
        self.assertContains(self.last_response, "Logged out")

    def test_add_a_book_with_an_inline_chapter_and_two_authors(self):
        self.login_as(self.root)
        page = self.client.get(reverse("admin:shelf_book_add"))

        response = self.submit_form(
            page,
            title="Dune",
            authors=[self.herbert.pk, self.anderson.pk],
            **{"chapters-0-number": 1, "chapters-0-title": "Arrakis"},
        )

        self.assertRedirects(response, reverse("admin:shelf_book_changelist"))
        book = Book.objects.get()
        assert book.title == "Dune"
        assert set(book.authors.all()) == {self.herbert, self.anderson}
        assert [(c.number, c.title) for c in book.chapters.all()] == [(1, "Arrakis")]

    def test_change_a_book_its_authors_and_chapters(self):
        book = Book.objects.create(title="Dune")
        book.authors.set([self.herbert, self.anderson])
        chapter = book.chapters.create(number=1, title="Arrakis")
        self.login_as(self.root)
        page = self.client.get(reverse("admin:shelf_book_change", args=[book.pk]))

        response = self.submit_form(
            page,
            title="Dune Messiah",
            authors=[self.herbert.pk],
            **{
                "chapters-0-title": "Arrakeen",
                "chapters-1-number": 2,
                "chapters-1-title": "Sietch Tabr",
            },
        )

        self.assertRedirects(response, reverse("admin:shelf_book_changelist"))
        book.refresh_from_db()
        assert book.title == "Dune Messiah"
        assert list(book.authors.all()) == [self.herbert]
        assert [(c.pk, c.title) for c in book.chapters.all()][0] == (chapter.pk, "Arrakeen")
        assert [(c.number, c.title) for c in book.chapters.all()] == [
            (1, "Arrakeen"),
            (2, "Sietch Tabr"),
        ]

    def test_save_and_continue_editing_with_its_button(self):
        self.login_as(self.root)
        page = self.client.get(reverse("admin:shelf_book_add"))

        response = self.submit_form(
            page, title="Dune", authors=[self.herbert.pk], button="_continue"
        )

        book = Book.objects.get()
        self.assertRedirects(response, reverse("admin:shelf_book_change", args=[book.pk]))

    def test_delete_selected_books_through_the_action_and_its_confirmation(self):
        doomed = [Book.objects.create(title=title) for title in ("Dune", "Children of Dune")]
        Chapter.objects.create(book=doomed[0], number=1, title="Arrakis")
        kept = Book.objects.create(title="Hyperion")
        self.login_as(self.root)
        changelist = reverse("admin:shelf_book_changelist")
        page = self.client.get(changelist)

        confirmation = self.submit_form(
            page, action="delete_selected", _selected_action=[book.pk for book in doomed]
        )

        self.assertContains(confirmation, "Are you sure you want to delete the selected books?")
        assert Book.objects.count() == 3
        done = self.submit_form(confirmation, "#content form")  # "Yes, I'm sure"
        self.assertRedirects(done, changelist)
        assert list(Book.objects.all()) == [kept]
        assert not Chapter.objects.exists()
        self.assert_message(done, "Successfully deleted 2 books.")

    def test_the_changelist_form_sends_its_go_button(self):
        book = Book.objects.create(title="Dune")
        self.login_as(self.root)
        page = self.client.get(reverse("admin:shelf_book_changelist"))

        confirmation = self.submit_form(page, action="delete_selected", _selected_action=[book.pk])

        # A browser sends the button it submits with: the Go button is <button name="index">.
        assert confirmation.wsgi_request.POST.get("index") == "0"


class AdminWithLoginUrlTests(AdminTestCase):
    """The admin's pages named by settings, INTEGRATION_KIT["LOGIN_URL"] = "admin:login" and
    LOGOUT_URL = "admin:logout" (here as class attributes): not needed, since the kit finds them,
    but the same flows work with them."""

    login_url = "admin:login"
    logout_url = "admin:logout"

    def test_login(self):
        response = self.login("root", self.root.raw_password)

        self.assertRedirects(response, reverse("admin:index"))
        self.assert_logged_in_as(self.root)

    def test_a_wrong_password_shows_the_admins_error(self):
        with self.assertRaises(AssertionError) as caught:
            self.login("root", "not-" + self.root.raw_password)

        message = str(caught.exception)
        assert message.startswith(
            "login() failed: POST /admin/login/ answered 200 with form errors."
        ), message
        assert "Please enter the correct username and password" in message
        assert self.root.raw_password not in message
        self.assert_logged_out()

    def test_an_admin_page_needs_login(self):
        self.assert_login_required("admin:shelf_book_changelist")

    def test_the_wall_reports_an_open_page(self):
        with self.assertRaises(AssertionError) as caught:
            self.assert_login_required("admin:login")

        assert str(caught.exception).startswith(
            "GET /admin/login/ is not login-protected: it answered 200, expected a redirect "
            "to the login page /admin/login/.\n"
        ), str(caught.exception)

    def test_login_then_logout(self):
        self.login("root", self.root.raw_password)

        self.logout()

        self.assert_logged_out()
        self.assertContains(self.last_response, "Logged out")
        self.assert_login_required("admin:index")
