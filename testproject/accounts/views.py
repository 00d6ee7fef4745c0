from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.views.generic import CreateView

from accounts.forms import LegacyLoginForm


def home(request):
    return render(request, "accounts/home.html")


class SignupView(CreateView):
    form_class = UserCreationForm
    template_name = "accounts/signup.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your account is ready. Please log in.")
        return response


@login_required
def dashboard(request):
    return render(request, "accounts/dashboard.html")


@login_required
async def async_dashboard(request):
    """The dashboard as an async view: the flows must work with Django's AsyncClient too."""
    user = await request.auser()
    return HttpResponse(render_to_string("accounts/async_dashboard.html", {"member": user}))


@login_required
def profile(request):
    return render(request, "accounts/profile.html")


@login_required
def members(request):
    return render(request, "accounts/members.html")


def staff_only(request):
    if not request.user.is_staff:
        raise PermissionDenied("Staff only.")
    return render(request, "accounts/staff.html")


def search(request):
    query = request.GET.get("q", "")
    return render(request, "accounts/search.html", {"query": query})


def legacy_login(request):
    form = LegacyLoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        return redirect("dashboard")
    return render(request, "accounts/legacy_login.html", {"form": form})


def no_csrf_form(request):
    """A page whose POST form forgot ``{% csrf_token %}``: the kit must refuse to submit it."""
    return render(request, "accounts/no_csrf.html")


@login_required
def account_settings(request):
    """Two POST forms on one page: tests must say which one they mean."""
    if request.method == "POST":
        user = request.user
        if request.POST.get("action") == "email":
            user.email = request.POST.get("email", "")
        else:
            user.first_name = request.POST.get("first_name", "")
        user.save()
        messages.success(request, "Saved.")
        return redirect("account_settings")
    return render(request, "accounts/settings.html")


def contact(request):
    if request.method == "POST":
        messages.info(request, f"Thanks, {request.POST.get('name', '')}.")
        return redirect("home")
    return render(request, "accounts/contact.html")


def handmade_signup_page(request):
    """A signup form written by hand: nothing is marked ``required``, yet it needs an email."""
    from django.contrib.auth.models import User

    errors = {}
    if request.method == "POST":
        username = request.POST.get("username", "")
        email = request.POST.get("email", "")
        if not email:
            errors["email"] = "Enter your email address."
        if not username:
            errors["username"] = "Choose a username."
        if request.POST.get("password1") != request.POST.get("password2"):
            errors["password2"] = "The passwords differ."
        if not errors:
            User.objects.create_user(username, email, request.POST["password1"])
            return redirect("login")
    return render(request, "accounts/handmade_signup.html", {"errors": errors})


def signup_creates_nobody(request):
    """Looks like a signup page and redirects, but creates no user (a waiting list)."""
    if request.method == "POST":
        return redirect("home")
    return render(request, "accounts/handmade_signup.html", {"errors": {}})


def redirects_to_login_without_next(request):
    """Guards the page with a bare ``redirect("login")``, as many views do."""
    if not request.user.is_authenticated:
        return redirect("login")
    return HttpResponse("Inside.")


def two_step_password(request, wizard=False):
    """The first step of a two-step login: the password, then a one-time code, on a page of
    its own or (``wizard``) as the answer to the password, like a form wizard."""
    from django.contrib.auth.forms import AuthenticationForm

    form = AuthenticationForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session["pending_user_id"] = form.get_user().pk
        if wizard:
            return render(request, "accounts/two_step_token.html")
        return redirect("two_step_token")
    return render(request, "accounts/two_step.html", {"form": form})


def two_step_token(request):
    """The second step: a user who knows the code (123456) is logged in."""
    from django.contrib.auth.models import User

    if request.method == "POST" and request.POST.get("token") == "123456":
        user = User.objects.get(pk=request.session.pop("pending_user_id"))
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("dashboard")
    return render(request, "accounts/two_step_token.html")


def guarded_with_wrong_next(request):
    """Sends anonymous users to the login page, but with ``next`` pointing elsewhere."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse_lazy('login')}?next=/")
    return HttpResponse("Inside.")
