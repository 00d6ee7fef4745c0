"""Forms shaped like real sites' account forms, each with a quirk the flows must handle."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import RegexValidator


class TypedSignupForm(UserCreationForm):
    """A signup form asking for a field of every HTML input type, some of them optional."""

    contact = forms.EmailField(label="Where to reach you")
    # An email address in a plain text input, known by its name alone.
    backup_email = forms.EmailField(widget=forms.TextInput)
    age = forms.IntegerField(min_value=1)
    level = forms.IntegerField(
        widget=forms.NumberInput(attrs={"type": "range"}), min_value=0, max_value=10
    )
    born = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    meeting = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    wake = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    homepage = forms.URLField(assume_scheme="https")
    phone = forms.CharField(
        widget=forms.TextInput(attrs={"type": "tel"}),
        validators=[RegexValidator(r"^\+1555\d{7}$", "Enter a phone number like +15550000001.")],
    )
    plan = forms.ChoiceField(choices=[("", "Choose a plan"), ("basic", "Basic"), ("pro", "Pro")])
    terms = forms.BooleanField(label="I accept the terms")
    newsletter = forms.BooleanField(required=False)
    colour = forms.ChoiceField(
        widget=forms.RadioSelect, choices=[("red", "Red"), ("blue", "Blue")]
    )
    nickname = forms.CharField(required=False)
    country = forms.CharField(initial="NO")


class PrefixedSignupForm(UserCreationForm):
    """Oscar's way: every field behind the ``registration`` prefix, the email required."""

    email = forms.EmailField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="registration", **kwargs)

    def save(self, commit=True):
        user = super().save(commit=False)
        user.email = self.cleaned_data["email"]
        if commit:
            user.save()
        return user


class PrefixedLoginForm(AuthenticationForm):
    """django-two-factor-auth's way: the credentials behind the ``auth`` prefix."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, prefix="auth", **kwargs)


class PinLoginForm(forms.Form):
    """A login form whose password field is named ``pin``."""

    username = forms.CharField()
    pin = forms.CharField(widget=forms.PasswordInput)
