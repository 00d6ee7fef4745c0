from django.urls import path

from widgets import views

urlpatterns = [
    path("notes/", views.notes, name="notes"),
]
