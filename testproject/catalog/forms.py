from django import forms


class OrderForm(forms.Form):
    email = forms.EmailField()
    quantity = forms.IntegerField(min_value=1, max_value=20, initial=1)
    card_number = forms.CharField(max_length=19)
