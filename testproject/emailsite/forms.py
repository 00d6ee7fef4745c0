from django import forms
from django.contrib.auth import password_validation

from emailsite.models import Member


class JoinForm(forms.ModelForm):
    """A signup form with its own password field names (``pass_a``, ``pass_b``)."""

    pass_a = forms.CharField(label="Password", widget=forms.PasswordInput)
    pass_b = forms.CharField(label="Password again", widget=forms.PasswordInput)

    class Meta:
        model = Member
        fields = ["email", "display_name"]

    def clean(self):
        data = super().clean()
        if data.get("pass_a") != data.get("pass_b"):
            self.add_error("pass_b", "The passwords differ.")
        elif data.get("pass_a"):
            password_validation.validate_password(data["pass_a"])
        return data

    def save(self, commit=True):
        member = super().save(commit=False)
        member.set_password(self.cleaned_data["pass_a"])
        if commit:
            member.save()
        return member
