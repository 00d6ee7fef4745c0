"""A stand-in payment provider: the card number decides whether the charge goes through."""

from catalog.models import Payment

DECLINED_CARD = "4000000000000002"


class PaymentDeclined(Exception):
    pass


def charge(order, card_number):
    """Record a pending payment for ``order``, then capture it or raise PaymentDeclined."""
    payment = Payment.objects.create(order=order, amount=order.total)
    if card_number.replace(" ", "") == DECLINED_CARD:
        raise PaymentDeclined("Your card was declined.")
    payment.captured = True
    payment.save(update_fields=["captured"])
    return payment
