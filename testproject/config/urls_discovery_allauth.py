"""django-allauth's URL names (with a social provider and the admin), for URL discovery tests."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path


def page(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/signup/", page, name="account_signup"),
    path("accounts/login/", page, name="account_login"),
    path("accounts/logout/", page, name="account_logout"),
    path("accounts/password/reset/", page, name="account_reset_password"),
    path("accounts/confirm-email/<str:key>/", page, name="account_confirm_email"),
    path("accounts/3rdparty/signup/", page, name="socialaccount_signup"),
    path("accounts/google/login/", page, name="google_login"),
    path("", page, name="home"),
]
