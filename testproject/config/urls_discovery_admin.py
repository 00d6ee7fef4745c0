"""Only the admin, for URL discovery tests: its pages are the last resort."""

from django.contrib import admin
from django.urls import path

urlpatterns = [path("admin/", admin.site.urls)]
