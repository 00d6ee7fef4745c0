"""A project's own names: join, sign-in and sign_out, beside names that must not fit."""

from django.http import HttpResponse
from django.urls import path


def page(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("join/", page, name="join"),
    path("join/done/", page, name="registration_complete"),
    path("events/<int:pk>/register/", page, name="event_register"),
    path("events/registration/", page, name="event_registration"),
    path("groups/join/", page, name="group_join"),
    path("sign-in/", page, name="sign-in"),
    path("sign-out/", page, name="user_sign_out"),
    path("login/help/", page, name="login_help"),
    path("catalog/", page, name="catalog"),
]
