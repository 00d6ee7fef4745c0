from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("catalog/", include("catalog.urls")),
    path("widgets/", include("widgets.urls")),
    path("newsletter/", include("newsletter.urls")),
    path("weather/", include("weather.urls")),
    path("trial/", include("trials.urls")),
    path("quirks/", include("quirks.urls")),
    path("", include("accounts.urls")),
]
