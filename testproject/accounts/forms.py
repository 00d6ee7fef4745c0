from django import forms
from django.contrib.auth import authenticate


class LegacyLoginForm(forms.Form):
    """A login form named the way third-party account apps name it (allauth's ``login``)."""

    login = forms.CharField(label="Username or email")
    password = forms.CharField(widget=forms.PasswordInput)

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.user = authenticate(self.request, username=data["login"], password=data["password"])
        if self.user is None:
            raise forms.ValidationError("The login and password do not match.")
        return data
