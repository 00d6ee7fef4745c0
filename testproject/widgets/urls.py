from django.urls import include, path

from widgets import back_office, crawl_pages, forms_pages, views

crawl_patterns = [
    path("", crawl_pages.index, name="widgets_crawl"),
    path("ok/", crawl_pages.ok),
    path("broken/", crawl_pages.broken),
    path("queries/", crawl_pages.queries),
    path("moved/", crawl_pages.moved),
    path("landing/", crawl_pages.landing, name="widgets_crawl_landing"),
    path("away/", crawl_pages.away),
    path("members/", crawl_pages.members),
    path("staff/", crawl_pages.staff),
    path("private/", crawl_pages.private),
    path("file.json", crawl_pages.data),
    path("search/", crawl_pages.search),
    path("post-only/", crawl_pages.post_only),
    path("sign-in/", crawl_pages.sign_in),
    path("chain/<int:number>/", crawl_pages.chain),
    path("db-error/", crawl_pages.db_error),
    path("many-missing/", crawl_pages.many_missing),
]

urlpatterns = [
    path("", views.site_map, name="widgets_site_map"),
    path("notes/", views.notes, name="notes"),
    path("links/", views.links, name="widgets_links"),
    path("echo/", forms_pages.echo, name="widgets_echo"),
    path("buttons/", forms_pages.page, {"template": "buttons"}),
    path("outside/", forms_pages.page, {"template": "outside"}),
    path("upload/", forms_pages.page, {"template": "upload"}),
    path("locked/", forms_pages.page, {"template": "locked"}),
    path("books/", forms_pages.books, name="widgets_books"),
    path("admin/", back_office.site.urls),
    path("crawl/", include(crawl_patterns)),
]
