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
