"""Placing an order: one transaction for the order and its payment, the email after commit."""

from functools import partial

from django.core.mail import send_mail
from django.db import transaction

from catalog import payments
from catalog.models import Order


def place_order(product, *, email, quantity, card_number):
    """Create and pay for an order; a declined card rolls both back and raises PaymentDeclined."""
    with transaction.atomic():
        order = Order.objects.create(
            product=product, email=email, quantity=quantity, total=product.price * quantity
        )
        payments.charge(order, card_number)
        # A confirmation for an order that a later failure rolls back would be a lie.
        transaction.on_commit(partial(send_confirmation, order.pk))
    return order


def send_confirmation(order_pk):
    order = Order.objects.select_related("product").get(pk=order_pk)
    send_mail(
        f"Order #{order.pk} confirmed",
        f"Thank you for ordering {order.quantity} x {order.product.name} (total {order.total}).",
        None,
        [order.email],
    )
