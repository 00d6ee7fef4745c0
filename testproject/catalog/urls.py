from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.product_list, name="products"),
    path("<slug:slug>/order/", views.order, name="order"),
]
