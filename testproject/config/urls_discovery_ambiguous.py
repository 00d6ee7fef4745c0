"""Two pages for each flow, none a well-known name, for URL discovery tests: the kit must ask."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path


def page(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("admin/", admin.site.urls),
    path("signup/", page, name="signup"),
    path("register/", page, name="register"),
    path("sign-in/", page, name="sign_in"),
    path("staff/login/", page, name="staff_login"),
    path("sign-out/", page, name="sign_out"),
    path("staff/logout/", page, name="staff_logout"),
]
