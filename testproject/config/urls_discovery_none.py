"""A project without account pages, only names that look like them, for URL discovery tests."""

from django.http import HttpResponse
from django.urls import include, path


def page(request, **kwargs):
    return HttpResponse()


shop = [
    path("", page, name="index"),
    path("basket/", page, name="basket"),
    path("customers/<int:pk>/", page, name="customer_detail"),
]

urlpatterns = [
    path("", page, name="home"),
    path("about/", page, name="about"),
    path("blog/", page, name="blog"),
    path("catalog/", page, name="catalog"),
    path("contact/", page, name="contact"),
    path("faq/", page, name="faq"),
    path("news/", page, name="news"),
    path("press/", page, name="press"),
    path("pricing/", page, name="pricing"),
    path("search/", page, name="search"),
    path("terms/", page, name="terms"),
    path("account/settings/", page, name="account_settings"),
    path("password/reset/", page, name="password_reset"),
    path("invite/<str:code>/signup/", page, name="invite_signup"),
    path("shop/", include((shop, "shop"))),
]
