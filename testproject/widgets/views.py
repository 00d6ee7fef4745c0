from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render


@login_required
def notes(request):
    """A page that needs JavaScript: its note form stays hidden until "Write a note" is clicked.

    Notes live in the session, so the page needs no model.
    """
    if request.method == "POST":
        text = request.POST.get("text", "").strip()
        if text:
            request.session["notes"] = [*request.session.get("notes", []), text]
            messages.success(request, "Note saved.")
        return redirect("notes")
    return render(request, "widgets/notes.html", {"notes": request.session.get("notes", [])})


def site_map(request):
    """Every page of the project a visitor can reach, for the crawl of the smoke tests."""
    return render(request, "widgets/site_map.html")


def links(request):
    """Links of every kind: relative, repeated, to other sites, to the page itself, scripts."""
    return render(request, "widgets/links.html")
