from django.urls import path

from quirks import views

app_name = "quirks"

# Names that fit no flow, so that discovery still finds the project's own pages.
urlpatterns = [
    path("typed/", views.typed_signup, name="typed_form"),
    path("prefixed/", views.prefixed_signup, name="prefixed_form"),
    path("prefixed/entry/", views.prefixed_login, name="prefixed_entry"),
    path("pin/", views.pin_login, name="pin_entry"),
    path("both/", views.both_forms, name="both_forms"),
    path("both/posting-to/<int:signup_answer>/", views.both_forms, name="both_forms_posting"),
    path("anonymous/<str:answer>/", views.login_leaves_anonymous, name="stays_anonymous"),
    path("status/<int:code>/", views.status, name="status"),
    path("guarded/<int:code>/", views.status_to_login, name="guarded"),
    path("shown/", views.shown_confirmation, name="shown_confirmation"),
    path("city/", views.city_chosen_later, name="city_chosen_later"),
    path("handle/", views.login_by_handle, name="handle_entry"),
    path("foreign-next/", views.guarded_with_foreign_next, name="foreign_next"),
]
