"""django-oscar's URL names (customer: and dashboard: namespaces), for URL discovery tests."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path


def page(request, **kwargs):
    return HttpResponse()


customer = [
    path("login/", page, name="login"),
    path("logout/", page, name="logout"),
    path("register/", page, name="register"),
    path("", page, name="summary"),
    path("profile/", page, name="profile-view"),
    path("orders/<str:order_number>/", page, name="order"),
]
dashboard = [
    path("", page, name="index"),
    path("login/", page, name="login"),
    path("logout/", page, name="logout"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include((customer, "customer"))),
    path("dashboard/", include((dashboard, "dashboard"))),
    path("", page, name="home"),
]
