"""django-two-factor-auth's URL names beside the admin, for URL discovery tests."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path


def page(request, **kwargs):
    return HttpResponse()


two_factor = [
    path("account/login/", page, name="login"),
    path("account/two_factor/setup/", page, name="setup"),
    path("account/two_factor/setup/complete/", page, name="setup_complete"),
    path("account/two_factor/", page, name="profile"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include((two_factor, "two_factor"))),
    path("", page, name="home"),
]
