"""A small site for the crawl's own tests: pages that answer, fail, redirect and run queries.

Plain HTML without the project's base template, so a crawl of it stays inside it.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect


def _page(title, body):
    return HttpResponse(f"<!doctype html><title>{title}</title><h1>{title}</h1>{body}")


def index(request):
    return _page(
        "Crawl",
        f"""
        <a href="ok/">OK</a> <a href="ok/#part">OK, further down</a>
        <a href="missing/">Missing</a>
        <a href="broken/">Broken</a>
        <a href="queries/">Queries</a>
        <a href="moved/">Moved</a>
        <a href="away/">Away</a>
        <a href="members/">Members</a>
        <a href="staff/">Staff</a>
        <a href="private/">Private</a>
        <a href="file.json">Data</a>
        <a href="https://elsewhere.example/">Elsewhere</a>
        <a href="mailto:team@example.com">Write to us</a>
        <a href="javascript:window.print()">Print</a>
        <a href="#top">Top</a>
        <a href="/logout/">Log out</a>
        <a href="/static/widgets/notes.js">Script</a>
        <form method="get" action="search/"><input name="q" value="tea"><button name="go" value="1">Go</button></form>
        <form method="post" action="post-only/"><input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}"><button>Send</button></form>
        """,
    )


def ok(request):
    return _page("OK", '<p id="part">All good. <a href="../">Back</a></p>')


def broken(request):
    raise ValueError("the template forgot a variable")


def queries(request):
    for _ in range(3):
        User.objects.count()
    return _page("Queries", "<p>Three queries.</p>")


def moved(request):
    return redirect("widgets_crawl_landing")


def landing(request):
    return _page("Landing", "<p>Moved here.</p>")


def away(request):
    return redirect("https://elsewhere.example/moved/")


@login_required
def members(request):
    return _page("Members", "<p>Inside.</p>")


@permission_required("auth.view_user")
def staff(request):
    return _page("Staff", "<p>Staff only.</p>")


def private(request):
    return _page("Private", '<a href="secret/">Secret</a>')


def data(request):
    return HttpResponse('{"ok": true}', content_type="application/json")


def search(request):
    return _page("Search", f"<p>Results for {request.GET.get('q', '')}</p>")


def post_only(request):
    raise AssertionError("The crawl must never request the action of a POST form.")


def sign_in(request):
    return _page("Sign in", "<p>The login page of this small site.</p>")


def chain(request, number):
    return _page(f"Page {number}", f'<a href="../{number + 1}/">Next</a>')


def db_error(request):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    return _page("Unreachable", "")


def many_missing(request):
    return _page("Many", "".join(f'<a href="gone-{n}/">Gone {n}</a>' for n in range(35)))
