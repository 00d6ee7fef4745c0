"""django-registration's and django-registration-redux's URL names, for URL discovery tests."""

from django.http import HttpResponse
from django.urls import path


def page(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("accounts/register/", page, name="django_registration_register"),
    path("accounts/register/complete/", page, name="django_registration_complete"),
    path("accounts/register/closed/", page, name="registration_disallowed"),
    path("accounts/activate/complete/", page, name="registration_activation_complete"),
    path("accounts/login/", page, name="auth_login"),
    path("accounts/logout/", page, name="auth_logout"),
]
