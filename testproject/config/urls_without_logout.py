"""A site with a login page and a dashboard but no logout view."""

from accounts import views
from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
