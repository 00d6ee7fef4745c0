from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.generic import CreateView

from emailsite.forms import JoinForm


class JoinView(CreateView):
    form_class = JoinForm
    template_name = "emailsite/join.html"
    success_url = reverse_lazy("members:home")


@login_required
def home(request):
    return render(request, "emailsite/home.html")
