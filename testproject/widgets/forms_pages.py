"""Pages whose forms exercise what a browser does with forms: buttons, files, formsets."""

from django import forms
from django.forms import formset_factory
from django.http import JsonResponse
from django.shortcuts import render


class BookForm(forms.Form):
    title = forms.CharField(max_length=100)
    genre = forms.ChoiceField(choices=[("novel", "Novel"), ("poetry", "Poetry")])


BookFormSet = formset_factory(BookForm, extra=0, max_num=3)


def echo(request):
    """What the browser sent, as JSON: every value of every field, and each file's name and text."""
    data = request.POST if request.method == "POST" else request.GET
    files = {
        name: [[upload.name, upload.read().decode()] for upload in request.FILES.getlist(name)]
        for name in request.FILES
    }
    return JsonResponse({"method": request.method, "data": dict(data.lists()), "files": files})


def page(request, template):
    return render(request, f"widgets/{template}.html")


def books(request):
    """A plain formset (prefix "form", no empty_form) with two books and room for one more."""
    if request.method == "POST":
        formset = BookFormSet(request.POST)
        if formset.is_valid():
            return JsonResponse({"books": [form for form in formset.cleaned_data if form]})
    else:
        formset = BookFormSet(
            initial=[{"title": "Dune", "genre": "novel"}, {"title": "Odes", "genre": "poetry"}]
        )
    return render(request, "widgets/books.html", {"formset": formset})
