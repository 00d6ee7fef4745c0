from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from catalog.forms import OrderForm
from catalog.models import Product
from catalog.orders import place_order
from catalog.payments import PaymentDeclined


def product_list(request):
    # Every row shows its category: without select_related that is one query per product.
    products = Product.objects.select_related("category")
    return render(request, "catalog/product_list.html", {"products": products})


def order(request, slug):
    product = get_object_or_404(Product, slug=slug)
    form = OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            placed = place_order(product, **form.cleaned_data)
        except PaymentDeclined as declined:
            form.add_error("card_number", str(declined))
            messages.error(request, "The payment failed; nothing was ordered.")
        else:
            messages.success(request, f"Order #{placed.pk} placed. A confirmation is on its way.")
            return redirect("catalog:products")
    return render(request, "catalog/order.html", {"product": product, "form": form})
