from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("async-dashboard/", views.async_dashboard, name="async_dashboard"),
    path("profile/", views.profile, name="profile"),
    path("members/", views.members, name="members"),
    path("staff/", views.staff_only, name="staff"),
    path("search/", views.search, name="search"),
    path("legacy/login/", views.legacy_login, name="legacy_login"),
    path("no-csrf/", views.no_csrf_form, name="no_csrf"),
    path("contact/", views.contact, name="contact"),
    path("settings/", views.account_settings, name="account_settings"),
    path("join-by-hand/", views.handmade_signup_page, name="handmade_signup_page"),
    path("waiting-list/", views.signup_creates_nobody, name="signup_creates_nobody"),
    path("guarded/", views.redirects_to_login_without_next, name="guarded_without_next"),
    path(
        "login-or-away/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login_or_away",
    ),
    path("guarded/wrong-next/", views.guarded_with_wrong_next, name="guarded_with_wrong_next"),
    path("two-step/", views.two_step_password, name="two_step_password"),
    path("two-step/wizard/", views.two_step_password, {"wizard": True}, name="two_step_wizard"),
    path("two-step/token/", views.two_step_token, name="two_step_token"),
]
