"""Account pages with the quirks of real sites, for the flows to be tried on."""

from django.contrib.auth import authenticate, login
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from quirks.forms import PinLoginForm, PrefixedLoginForm, PrefixedSignupForm, TypedSignupForm

_PASSWORDS = ("password1", "password2")


def typed_signup(request):
    """A signup asking for every input type; what it was sent is kept in the session."""
    form = TypedSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        request.session["answers"] = {
            name: str(value) for name, value in form.cleaned_data.items() if name not in _PASSWORDS
        }
        return redirect("home")
    return render(request, "quirks/signup.html", {"form": form})


def prefixed_signup(request):
    form = PrefixedSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("home")
    return render(request, "quirks/signup.html", {"form": form})


def prefixed_login(request):
    form = PrefixedLoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return redirect("dashboard")
    return render(request, "quirks/login.html", {"form": form})


def pin_login(request):
    """Logs in with a password field named ``pin``, on a page whose one form has neither id
    nor class."""
    form = PinLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["pin"]
        )
        if user is not None:
            login(request, user)
            return redirect("dashboard")
        form.add_error(None, "Wrong username or PIN.")
    return render(request, "quirks/pin_login.html", {"form": form})


def both_forms(request, signup_answer=None):
    """Log in or sign up on one page, beside a password-strength check (by GET) and a password
    change (three password fields); the signup form posts to a ``signup_answer`` status page
    when given."""
    action = f"/quirks/status/{signup_answer}/" if signup_answer else reverse("signup")
    return render(
        request,
        "quirks/both_forms.html",
        {
            "login_form": AuthenticationForm(request),
            "signup_form": UserCreationForm(),
            "signup_action": action,
        },
    )


def login_leaves_anonymous(request, answer):
    """A login form whose submission logs nobody in: ``answer`` says what it answers instead (a
    thank-you page, one with a stray Location header, a page of two forms, JSON, the password
    asked again, a 300 to a next step)."""
    if request.method != "POST":
        return render(request, "quirks/login.html", {"form": AuthenticationForm(request)})
    if answer == "json":
        return JsonResponse({"next": '<form method="post"><input name="code"></form>'})
    if answer == "multiple_choices":
        response = HttpResponse("Choose how to get your code.", status=300)
        response["Location"] = "/quirks/anonymous/one_form/"
        return response
    if answer == "stray_location":
        response = render(request, "quirks/after_login_thanks.html")
        response["Location"] = "/elsewhere/"
        return response
    return render(request, f"quirks/after_login_{answer}.html")


def shown_confirmation(request):
    """A hand-written signup: the password in ``phrase``, typed again in plain text in
    ``phrase_again``; the username ``waitlist`` is taken onto a list, not made a user."""
    from django.contrib.auth.models import User

    errors = {}
    if request.method == "POST":
        username = request.POST.get("username", "")
        if User.objects.filter(username=username).exists():
            errors["username"] = "That username is taken."
        if request.POST.get("phrase") != request.POST.get("phrase_again"):
            errors["phrase_again"] = "The two entries differ."
        if not errors:
            if username != "waitlist":
                User.objects.create_user(username, password=request.POST["phrase"])
            return redirect("home")
    return render(request, "quirks/shown_confirmation.html", {"errors": errors})


def status_to_login(request, code):
    """Guards itself with a ``code`` answer that carries a Location to the login page."""
    response = HttpResponse(f"Status {code}.", status=code)
    response["Location"] = f"/login/?next={request.path}"
    return response


def status(request, code):
    """Answers ``code``, with ``?location=`` as its Location header when given."""
    response = HttpResponse(f"Status {code}.", status=code)
    if "location" in request.GET:
        response["Location"] = request.GET["location"]
    return response


def login_by_handle(request):
    """A hand-written login behind the ``auth`` prefix: the username is ``auth-login``, and
    beside the password are "show password" and "remember my login" checkboxes whose names
    end the same way."""
    error = ""
    if request.method == "POST":
        user = authenticate(
            request,
            username=request.POST.get("auth-login", ""),
            password=request.POST.get("auth-password", ""),
        )
        if user is not None:
            login(request, user)
            return redirect("dashboard")
        error = "Wrong login or password."
    return render(request, "quirks/login_by_handle.html", {"error": error})


def guarded_with_foreign_next(request):
    """Sends anonymous users to the login page with ``next`` on another site, same path."""
    return redirect(f"/login/?next=https://elsewhere.example{request.path}")


def city_chosen_later(request):
    """A signup whose required city list a script fills in: the page has none yet, or only
    the placeholder with ``?placeholder``."""
    from django.contrib.auth.models import User

    errors = {}
    if request.method == "POST":
        if not request.POST.get("city"):
            errors["city"] = "Choose your city."
        else:
            User.objects.create_user(request.POST["username"], password=request.POST["password1"])
            return redirect("home")
    context = {"errors": errors, "placeholder": "placeholder" in request.GET}
    return render(request, "quirks/city_chosen_later.html", context)
