from django.contrib.auth import views as auth_views
from django.urls import include, path

from emailsite import views

member_patterns = (
    [
        path("", views.home, name="home"),
        path("join/", views.JoinView.as_view(), name="join"),
        path(
            "sign-in/",
            auth_views.LoginView.as_view(template_name="emailsite/sign_in.html"),
            name="sign_in",
        ),
        path("sign-out/", auth_views.LogoutView.as_view(), name="sign_out"),
    ],
    "members",
)

urlpatterns = [path("members/", include(member_patterns))]
