"""Account pages under i18n_patterns(), for URL discovery tests: paths follow the language."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path


def page(request, **kwargs):
    return HttpResponse()


urlpatterns = i18n_patterns(path("signup/", page, name="signup"))
