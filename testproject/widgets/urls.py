from django.urls import path

from widgets import back_office, forms_pages, views

urlpatterns = [
    path("notes/", views.notes, name="notes"),
    path("echo/", forms_pages.echo, name="widgets_echo"),
    path("buttons/", forms_pages.page, {"template": "buttons"}),
    path("outside/", forms_pages.page, {"template": "outside"}),
    path("upload/", forms_pages.page, {"template": "upload"}),
    path("locked/", forms_pages.page, {"template": "locked"}),
    path("books/", forms_pages.books, name="widgets_books"),
    path("admin/", back_office.site.urls),
]
