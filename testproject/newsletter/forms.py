from django import forms


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="Your email address")
