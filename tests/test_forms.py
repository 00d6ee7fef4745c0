import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from selectolax.lexbor import LexborHTMLParser

from django_integration_kit import KitClient, login_as, submit_form
from django_integration_kit.forms import (
    HtmlForm,
    SubmitButton,
    add_formset_rows,
    choose_button,
    choose_form,
    fill,
    parse_forms,
    send,
)

pytestmark = pytest.mark.django_db

PAGE = """
<form id="f" method="post" action="next/?a=1">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input name="title" value="Hi" required>
  <input type="password" name="secret">
  <input type="checkbox" name="tags" value="a" checked>
  <input type="checkbox" name="tags" value="b">
  <input type="radio" name="size" value="s"><input type="radio" name="size" value="m" checked>
  <select name="colour"><option value="red">Red</option><option value="blue" selected>Blue</option></select>
  <select name="many" multiple><option>x</option><option selected>y</option></select>
  <textarea name="body">Line &amp; more</textarea>
  <input name="off" value="1" disabled>
  <input type="file" name="upload">
  <button name="go" value="1">Go</button>
</form>
"""


def test_parse_forms_reads_what_a_browser_would_send():
    (form,) = parse_forms(PAGE, "/page/")

    assert form.label == "#f"
    assert form.action == "/page/next/?a=1"
    assert form.method == "post"
    assert form.values == {
        "csrfmiddlewaretoken": ["tok"],
        "title": ["Hi"],
        "secret": [""],
        "tags": ["a"],
        "size": ["m"],
        "colour": ["blue"],
        "many": ["y"],
        "body": ["Line & more"],
    }
    assert form.required == ["title"]
    assert form.password_fields == ["secret"]


def test_fill_turns_python_values_into_form_values():
    (form,) = parse_forms(PAGE, "/page/")

    payload = fill(form, {"tags": ["a", "b"], "size": None, "title": 3, "many": False})

    assert payload["tags"] == ["a", "b"]
    assert payload["title"] == "3"
    assert "size" not in payload
    assert "many" not in payload


def test_fill_checks_a_box_with_its_value():
    (form,) = parse_forms(PAGE.replace(" checked>", ">", 1), "/page/")

    assert fill(form, {"tags": True})["tags"] == "a"


def test_submit_form_posts_the_only_fitting_form():
    client = KitClient()
    client.get("/contact/")

    response = submit_form(client, name="Bob", topic="sales", subscribe=True)

    assert response.status_code == 302
    assert response.wsgi_request.POST.dict() == {
        "csrfmiddlewaretoken": response.wsgi_request.POST["csrfmiddlewaretoken"],
        "source": "contact-page",
        "name": "Bob",
        "topic": "sales",
        "subscribe": "yes",
        "body": "Hello",
        "send": "1",
    }


def test_submit_form_by_selector_with_a_get_form():
    client = Client()
    page = client.get("/contact/")

    response = submit_form(client, page, "form.search", q="kit")

    assert response.status_code == 200
    assert response.wsgi_request.GET.dict() == {"q": "kit"}
    assert "Results for “kit”" in response.content.decode()


def test_submit_form_fails_on_a_field_that_is_not_in_the_form():
    client = Client()
    page = client.get("/contact/")

    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page, "#contact", emial="a@example.com")

    assert str(excinfo.value) == (
        "Field 'emial' is not in form #contact; its fields are: csrfmiddlewaretoken, source, "
        "name, topic, subscribe, body, disabled_field, send."
    )


def test_submit_form_fails_on_a_field_in_no_form():
    client = Client()
    page = client.get("/contact/")

    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page, nme="Bob")

    assert str(excinfo.value) == (
        "Field 'nme' is not in any form on GET /contact/; the forms' fields are: "
        "form.search: q; #contact: csrfmiddlewaretoken, source, name, topic, subscribe, body, "
        "disabled_field, send. Did you mean 'name'?"
    )


def test_submit_form_prefers_the_one_post_form_over_a_search_box():
    client = KitClient()
    client.get("/contact/")

    assert submit_form(client).wsgi_request.path == "/contact/"


def test_submit_form_asks_for_a_selector_when_forms_are_ambiguous():
    client = KitClient()
    login_as(client)
    page = client.get("/settings/")

    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page)

    assert str(excinfo.value) == (
        "GET /settings/ has 4 forms; pass selector= to pick one of: "
        "form.search (GET /search/), #logout-form (POST /logout/), "
        "#email-form (POST /settings/), #name-form (POST /settings/)."
    )


def test_submit_form_picks_the_form_that_has_the_fields():
    client = KitClient()
    user = login_as(client)
    client.get("/settings/")

    submit_form(client, first_name="Ada")

    user.refresh_from_db()
    assert user.first_name == "Ada"


def test_submit_form_with_a_selector_that_matches_nothing():
    client = Client()
    page = client.get("/contact/")

    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page, "#nope")

    assert str(excinfo.value) == (
        "No form matches selector '#nope' on GET /contact/; its forms are: "
        "form.search (GET /search/), #contact (POST /contact/)."
    )


def test_submit_form_refuses_a_post_form_without_csrf_token():
    client = Client()
    page = client.get("/no-csrf/")

    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page, "#broken", name="x")

    assert str(excinfo.value) == (
        "Form #broken (POST /no-csrf/) posts without a CSRF token; "
        "add {% csrf_token %} inside the <form> element."
    )


def test_submit_form_passes_the_csrf_check_when_enforced():
    client = KitClient(enforce_csrf_checks=True)
    client.get("/contact/")

    assert submit_form(client, name="Bob").status_code == 302
    assert client.post("/contact/", {"name": "Bob"}).status_code == 403


def test_submit_form_needs_a_response_with_a_plain_client():
    with pytest.raises(TypeError) as excinfo:
        submit_form(Client(), name="x")

    assert str(excinfo.value).startswith("submit_form() needs a response: pass response=")


def sent(response):
    """What the echo view received, without the CSRF token."""
    data = response.json()["data"]
    data.pop("csrfmiddlewaretoken", None)
    return data


def failure(client, url, selector=None, **data):
    page = client.get(url)
    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page, selector, **data)
    return str(excinfo.value)


# Submit buttons


def test_submit_form_clicks_the_first_enabled_submit_button():
    client = Client()
    page = client.get("/widgets/buttons/")

    assert sent(submit_form(client, page)) == {"title": ["Draft"], "action": ["save"]}


@pytest.mark.parametrize(
    ("button", "expected"),
    [
        ("Archive it", {"action": ["archive"]}),  # visible text, spaces collapsed
        ("archive", {"action": ["archive"]}),  # value
        ("publish", {"publish": ["Publish now"]}),  # name
        ("Map", {"map.x": ["0"], "map.y": ["0"]}),  # an image button sends where it was clicked
        ("Done", {}),  # an unnamed button sends nothing
    ],
)
def test_submit_form_clicks_the_button_named_by_name_value_or_text(button, expected):
    client = Client()
    page = client.get("/widgets/buttons/")

    assert sent(submit_form(client, page, button=button)) == {"title": ["Draft"], **expected}


def test_a_data_key_naming_a_button_clicks_it():
    client = Client()
    page = client.get("/widgets/buttons/")

    assert sent(submit_form(client, page, publish=True))["publish"] == ["Publish now"]
    assert sent(submit_form(client, page, action="archive"))["action"] == ["archive"]
    assert sent(submit_form(client, page, action="Save"))["action"] == ["save"]


def test_true_for_a_name_several_buttons_share_fails():
    assert failure(Client(), "/widgets/buttons/", action=True) == (
        "Form #post has 2 submit buttons named 'action'; pass action= the value or text of the "
        "one to click: 'Save' (action=save), 'Archive it' (action=archive)."
    )


def test_a_button_value_the_page_does_not_offer_fails():
    assert failure(Client(), "/widgets/buttons/", action="publish") == (
        "Form #post has no submit button named 'action' with the value or text 'publish'; pass "
        "action=True or the value or text of one of: 'Save' (action=save), 'Archive it' "
        "(action=archive)."
    )


def test_a_disabled_button_cannot_be_clicked():
    message = (
        "Submit button 'Delete' (delete=1, disabled) of form #post is disabled, so a browser "
        "cannot click it; enable it in the page or choose another button."
    )
    assert failure(Client(), "/widgets/buttons/", delete=True) == message
    assert failure(Client(), "/widgets/buttons/", button="Delete") == message


def test_button_that_matches_several_buttons_fails():
    assert failure(Client(), "/widgets/buttons/", button="action") == (
        "button='action' matches 2 submit buttons of form #post: 'Save' (action=save), "
        "'Archive it' (action=archive); pass a name, value or text that only one of them has."
    )


def test_button_that_matches_none_lists_the_buttons():
    assert failure(Client(), "/widgets/buttons/", button="Nope") == (
        "Form #post has no submit button 'Nope'; pass button= the name, value or text of one of "
        "its buttons: 'Delete' (delete=1, disabled), 'Save' (action=save), 'Archive it' "
        "(action=archive), 'Publish now' (publish=Publish now), 'Map' (map.x, map.y), "
        "'Done' (no name)."
    )


def test_choosing_two_buttons_fails():
    assert failure(Client(), "/widgets/buttons/", button="Save", action="save") == (
        "Both button='Save' and the field 'action' choose a submit button of form #post; a "
        "browser clicks one, so pass only one of them."
    )
    assert failure(Client(), "/widgets/buttons/", action="save", publish=True) == (
        "The fields 'action' and 'publish' both name submit buttons of form #post; a browser "
        "clicks one, so pass only one of them."
    )


def test_a_plain_button_is_not_a_field():
    assert failure(Client(), "/widgets/buttons/", preview="x") == (
        "Field 'preview' of form #post is a button of type 'button', which a browser never "
        "sends; leave it out."
    )


def test_a_form_without_buttons_submits_without_one():
    client = Client()
    page = client.get("/widgets/upload/")

    assert sent(submit_form(client, page, "#plain")) == {}
    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page, "#plain", button="Go")
    assert str(excinfo.value) == (
        "Form #plain has no submit button; leave out button='Go' to submit it the way pressing "
        "Enter does."
    )


def test_button_picks_the_form_that_has_it():
    client = KitClient()
    user = login_as(client)
    client.get("/settings/")

    response = submit_form(client, button="Change email", email="new@example.com")

    assert response.wsgi_request.POST["action"] == "email"
    user.refresh_from_db()
    assert user.email == "new@example.com"


def test_button_in_no_form_lists_each_forms_buttons():
    client = KitClient()
    login_as(client)
    page = client.get("/settings/")

    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page, button="Delete account")

    assert str(excinfo.value) == (
        "No form on GET /settings/ has a submit button 'Delete account'; the forms' buttons are: "
        "form.search: 'Search' (no name); #logout-form: 'Log out' (no name); #email-form: "
        "'Change email' (action=email); #name-form: 'Change name' (action=name)."
    )


BUTTONS = """
<form id="b"><input name="q">
  <input type="submit" name="plain"><input type="image" src="x.png">
  <button type="reset" name="r">Reset</button><button type="bogus" name="go" value="1">Go</button>
</form>
"""


def test_parse_forms_reads_submit_buttons_the_way_html_defines_them():
    (form,) = parse_forms(BUTTONS)

    assert form.buttons == [
        # Chromium sends "Submit" for an <input type=submit> without a value.
        SubmitButton("plain", "Submit", "Submit", 0, False, "submit"),
        SubmitButton("", "", "", 1, False, "image"),
        # An unknown type is a submit button; a reset button is not one.
        SubmitButton("go", "1", "Go", 2, False, "submit"),
    ]
    assert form.buttons[1].describe() == "'' (x, y)"


def test_fill_adds_the_default_or_given_button():
    (form,) = parse_forms(BUTTONS)

    assert fill(form, {"q": "kit"}) == {"q": "kit", "plain": "Submit"}
    assert fill(form, {}, form.buttons[1]) == {"q": "", "x": "0", "y": "0"}
    assert choose_button(form, "Go", {}) == form.buttons[2]


def test_choose_button_is_none_without_submit_buttons():
    (form,) = parse_forms('<form><input name="q"><button type="button">Clear</button></form>')

    assert choose_button(form, None, {}) is None
    assert form.buttons == []


# Options


def test_options_are_chosen_by_value_or_visible_text():
    client = KitClient()
    client.get("/contact/")

    response = submit_form(client, name="Bob", topic="Sales", subscribe="Subscribe")

    assert response.wsgi_request.POST["topic"] == "sales"
    assert response.wsgi_request.POST["subscribe"] == "yes"


def test_an_option_the_page_does_not_offer_fails_listing_them():
    client = Client()

    assert failure(client, "/contact/", "#contact", topic="billing") == (
        "Field 'topic' of form #contact has no option 'billing'; pass the value or text of one "
        "of its options: 'help' (Help), 'sales' (Sales)."
    )
    assert failure(client, "/contact/", "#contact", subscribe="no") == (
        "Field 'subscribe' of form #contact has no option 'no'; pass the value or text of one "
        "of its options: 'yes' (Subscribe)."
    )


CHOICES = """
<form id="c">
  <input type="radio" name="size" value="s" id="s"><label for="s">Small</label>
  <label><input type="radio" name="size" value="m"> Medium </label>
  <select name="many" multiple><option>x</option><option value="y">Why</option></select>
  <select name="dup"><option value="1">Same</option><option value="2">Same</option></select>
</form>
"""


def test_radios_take_their_label_text_and_one_value():
    (form,) = parse_forms(CHOICES)

    assert fill(form, {"size": "Small"})["size"] == "s"
    assert fill(form, {"size": "Medium"})["size"] == "m"
    assert fill(form, {"size": True})["size"] == "s"
    with pytest.raises(AssertionError) as excinfo:
        fill(form, {"size": ["s", "m"]})
    assert str(excinfo.value) == (
        "Field 'size' of form #c takes one value (a radio group); pass one of its options, not "
        "['s', 'm']."
    )


def test_multi_selects_take_lists_of_values_or_texts():
    (form,) = parse_forms(CHOICES)

    assert fill(form, {"many": ["x", "Why"]})["many"] == ["x", "y"]
    assert form.option_texts("many") == ["x", "Why"]


def test_a_text_several_options_share_fails():
    (form,) = parse_forms(CHOICES)

    with pytest.raises(AssertionError) as excinfo:
        fill(form, {"dup": "Same"})

    assert str(excinfo.value) == (
        "Field 'dup' of form #c has 2 options with the text 'Same' ('1', '2'); pass the value of "
        "the one you mean."
    )


def test_disabled_options_cannot_be_chosen():
    client = Client()

    assert sent(submit_form(client, client.get("/widgets/locked/"), size="Medium"))["size"] == [
        "m"
    ]
    for value in ("l", "xs"):  # disabled itself; inside a disabled <optgroup>
        assert failure(client, "/widgets/locked/", size=value) == (
            f"Option {value!r} of field 'size' in form #locked is disabled, so a browser cannot "
            "choose it; choose another option or enable it in the page."
        )
    assert failure(client, "/widgets/locked/", size=["m", ""]) == (
        "Field 'size' of form #locked takes one value (a <select> without multiple); pass one of "
        "its options, not ['m', '']."
    )


def test_select_values_follow_html():
    (form,) = parse_forms(
        '<form><select name="a"><option value="">---</option><option>b</option></select>'
        '<select name="b" size="3"><option>x</option></select>'
        '<select name="c"><option selected>1</option><option selected>2</option></select>'
        '<input type="checkbox" name="d" value="" checked></form>'
    )

    # value="" is a value; a list box selects nothing by default; the last selected one wins.
    assert form.values == {"a": [""], "c": ["2"], "d": [""]}
    assert form.options["a"] == ["", "b"]


# Disabled and readonly controls


def test_writing_to_a_disabled_or_readonly_field_fails():
    client = Client()

    assert failure(client, "/contact/", "#contact", disabled_field="y") == (
        "Field 'disabled_field' of form #contact is disabled, so a browser cannot change it; "
        "leave it out, or remove the disabled attribute in the page."
    )
    assert failure(client, "/widgets/locked/", code="B-2") == (
        "Field 'code' of form #locked is readonly, so a browser cannot change it; leave it out, "
        "or remove the readonly attribute in the page."
    )


def test_a_disabled_fieldset_disables_all_but_its_first_legend():
    client = Client()
    page = client.get("/widgets/locked/")

    assert failure(client, "/widgets/locked/", street="Elm St") == (
        "Field 'street' of form #locked is disabled, so a browser cannot change it; leave it "
        "out, or remove the disabled attribute in the page."
    )
    # readonly means nothing on a checkbox, so it can still be ticked.
    assert sent(submit_form(client, page, ship="no", agree=True)) == {
        "code": ["A-1"],
        "agree": ["yes"],
        "ship": ["no"],
        "size": [""],
    }


def test_disabled_and_readonly_fields_are_not_required():
    (form,) = parse_forms(
        '<form><input name="a" required disabled><input name="b" required readonly>'
        '<input name="c" required></form>'
    )

    assert form.required == ["c"]
    assert form.locked == {"a": "disabled", "b": "readonly"}


def test_a_name_with_one_usable_control_stays_writable():
    (form,) = parse_forms('<form><input name="a" disabled><input name="a" value="1"></form>')

    assert form.locked == {}
    assert fill(form, {"a": "2"}) == {"a": "2"}


# Controls associated with form="id"


def test_controls_with_a_form_attribute_belong_to_that_form_in_tree_order():
    client = Client()
    page = client.get("/widgets/outside/")

    order, other = parse_forms(page.content, "/widgets/outside/")
    response = submit_form(client, page, "#order", item="coffee")

    assert order.names == ["before", "csrfmiddlewaretoken", "item", "after", "go"]
    assert other.names == ["elsewhere", "csrfmiddlewaretoken"]
    assert list(sent(response).items()) == [
        ("before", ["1"]),
        ("item", ["coffee"]),
        ("after", ["2"]),
        ("go", ["late"]),
    ]


def test_a_selector_matching_an_outside_control_picks_its_form():
    client = Client()
    page = client.get("/widgets/outside/")

    assert sent(submit_form(client, page, "[name=after]"))["after"] == ["2"]


# Files


def test_files_are_uploaded_one_or_several():
    client = Client()
    page = client.get("/widgets/upload/")

    response = submit_form(
        client,
        page,
        "#upload",
        cover=SimpleUploadedFile("cover.txt", b"front"),
        pages=[SimpleUploadedFile("1.txt", b"one"), SimpleUploadedFile("2.txt", b"two")],
    )

    assert response.json()["files"] == {
        "cover": [["cover.txt", "front"]],
        "pages": [["1.txt", "one"], ["2.txt", "two"]],
    }
    assert sent(response) == {"caption": ["Holiday"]}


def test_an_empty_file_input_sends_no_file():
    client = Client()
    page = client.get("/widgets/upload/")

    response = submit_form(client, page, "#upload", caption="Work")

    assert response.json()["files"] == {}
    assert sent(response) == {"caption": ["Work"]}


def test_file_inputs_take_only_files():
    client = Client()
    files = [SimpleUploadedFile("a.txt", b"a"), SimpleUploadedFile("b.txt", b"b")]

    assert failure(client, "/widgets/upload/", "#upload", cover=files) == (
        "Field 'cover' of form #upload takes one file (its <input type=file> has no multiple "
        "attribute); pass one file, not a list."
    )
    assert failure(client, "/widgets/upload/", "#upload", cover="a.txt") == (
        "Field 'cover' of form #upload is a file input; pass an open file or a "
        "django.core.files.uploadedfile.SimpleUploadedFile, not 'a.txt'."
    )
    assert failure(client, "/widgets/upload/", "#plain", cover=files[0]) == (
        "Form #plain (POST /widgets/echo/) would send only the names of its files: a browser "
        'uploads files only with method="post" enctype="multipart/form-data"; add them to the '
        "<form>."
    )


# Formsets


def test_prefixed_formset_rows_are_fields():
    client = Client()
    page = client.get("/widgets/books/")

    response = submit_form(client, page, **{"form-1-title": "Odes II"})

    assert response.json() == {
        "books": [{"title": "Dune", "genre": "novel"}, {"title": "Odes II", "genre": "poetry"}]
    }


def test_add_formset_rows_bumps_total_forms():
    client = Client()
    page = client.get("/widgets/books/")

    rows = add_formset_rows(page, "form", {"title": "Poems", "genre": "Poetry"})
    response = submit_form(client, page, **rows)

    assert rows == {"form-TOTAL_FORMS": "3", "form-2-title": "Poems", "form-2-genre": "Poetry"}
    assert response.json()["books"][2] == {"title": "Poems", "genre": "poetry"}


def test_add_formset_rows_checks_the_rows():
    page = Client().get("/widgets/books/")

    with pytest.raises(AssertionError) as excinfo:
        add_formset_rows(page, "form", {"title": "a"}, {"title": "b"})
    assert str(excinfo.value) == (
        "Formset 'form' in form #books takes at most 3 rows (form-MAX_NUM_FORMS) and has 2, so "
        "a browser cannot add 2 more."
    )
    with pytest.raises(AssertionError) as excinfo:
        add_formset_rows(page, "form", {"titel": "a"})
    assert str(excinfo.value) == (
        "The rows of formset 'form' in form #books have no field 'titel'; their fields are: "
        "title, genre."
    )
    with pytest.raises(AssertionError) as excinfo:
        add_formset_rows(page, "book_set")
    assert str(excinfo.value) == (
        "No form on GET /widgets/books/ has a formset with prefix 'book_set' (a field "
        "'book_set-TOTAL_FORMS'); the page's formset prefixes are: form."
    )


def test_a_row_past_total_forms_fails():
    assert failure(Client(), "/widgets/books/", **{"form-2-title": "x"}) == (
        "Field 'form-2-title' is in row 2 of formset 'form' in form #books, but "
        "form-TOTAL_FORMS is 2; add rows with add_formset_rows()."
    )


def test_add_formset_rows_takes_a_form_and_copies_the_empty_form():
    (form,) = parse_forms(
        '<form id="f"><input type="hidden" name="x-TOTAL_FORMS" value="0">'
        '<div class="empty-form"><input name="x-__prefix__-n" value="1">'
        '<input name="x-__prefix__-t"></div></form>'
    )

    rows = add_formset_rows(form, "x", {"t": "a"}, {"n": "2"})

    assert rows == {"x-TOTAL_FORMS": "2", "x-0-n": "1", "x-0-t": "a", "x-1-n": "2", "x-1-t": ""}
    assert fill(form, rows)["x-1-n"] == "2"


def test_admin_inline_rows_are_added_like_add_another():
    client = Client()
    client.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw"))
    group = ContentType.objects.get(app_label="auth", model="group")
    url = f"/widgets/admin/contenttypes/contenttype/{group.pk}/change/"
    page = client.get(url)

    rows = add_formset_rows(page, "permission_set", {"name": "Can file", "codename": "file"})
    response = submit_form(client, page, button="Save and continue editing", **rows)

    assert response.status_code == 302
    assert response["Location"] == url
    assert Permission.objects.get(codename="file").content_type == group
    with pytest.raises(AssertionError) as excinfo:
        add_formset_rows(client.get(url), "permission_set", {"name": "x", "codename": "x"})
    assert str(excinfo.value) == (
        "Formset 'permission_set' in form #contenttype_form takes at most 5 rows "
        "(permission_set-MAX_NUM_FORMS) and has 5, so a browser cannot add 1 more."
    )


# Labels


LABELS = """
<div><form class="form-horizontal" action="/a/"></form></div>
<div><form class="form-horizontal" action="/b/"></form>
  <form class="form-horizontal" action="/b/"></form></div>
<section><form></form><form class="form-horizontal wide"></form></section>
<form name="x"></form><form id="main"></form>
"""


def test_labels_are_unique_selectors_of_their_form():
    forms = parse_forms(LABELS)
    tree = LexborHTMLParser(LABELS)
    nodes = tree.css("form")

    assert [form.label for form in forms] == [
        'form[action="/a/"]',
        "div:nth-of-type(2) > form:nth-of-type(1)",
        "div:nth-of-type(2) > form:nth-of-type(2)",
        "section:nth-of-type(1) > form:nth-of-type(1)",
        "form.form-horizontal.wide",
        "form[name=x]",
        "#main",
    ]
    for form in forms:
        (match,) = tree.css(form.label)
        assert match.mem_id == nodes[form.index].mem_id
        assert choose_form(forms, "GET /", form.label, LABELS) is form


def test_a_lone_form_is_labelled_form():
    (form,) = parse_forms('<form method="post"></form>')

    assert form.label == "form"
    assert form.describe() == "form (POST /)"


def test_parse_forms_records_position_and_id():
    forms = parse_forms(LABELS)

    assert [form.index for form in forms] == list(range(7))
    assert [form.id for form in forms][-2:] == [None, "main"]
    assert isinstance(forms[0], HtmlForm)


def test_an_invalid_css_selector_fails_quoting_it():
    assert failure(Client(), "/contact/", "form[") == (
        "Selector 'form[' is not valid CSS: Can't parse CSS selector; pass a CSS selector or one "
        "of the labels of the forms on GET /contact/: form.search, #contact."
    )


def test_parse_forms_records_autocomplete_hints():
    (form,) = parse_forms(
        '<form><input name="u" autocomplete="Username"><input type="password" name="p" '
        'autocomplete=" current-password"><input name="x"></form>'
    )

    assert form.autocomplete == {"u": "username", "p": "current-password"}


def test_messages_name_a_pages_only_form_the_form():
    (form,) = parse_forms('<form method="post"><input name="title"></form>')

    with pytest.raises(AssertionError) as excinfo:
        fill(form, {"titel": "Final"})

    assert str(excinfo.value) == (
        "Field 'titel' is not in the form; its fields are: title. Did you mean 'title'?"
    )
    with pytest.raises(AssertionError) as excinfo:
        send(form, fill(form, {"title": "Final"}))
    assert str(excinfo.value) == (
        "The form (POST /) posts without a CSRF token; add {% csrf_token %} inside the <form> "
        "element."
    )


def test_submit_form_refuses_a_str_as_the_response():
    with pytest.raises(TypeError) as excinfo:
        submit_form(Client(), "<html><form></form></html>")

    assert str(excinfo.value) == (
        "submit_form() takes as response= (its second argument) a response from a test client, "
        "not str '<html><form></form></html>'; pass the response of the page with the form "
        "(submit_form(client, response, '#form-id') picks a form by selector), or leave it out "
        "to use the kit client's last response."
    )


def test_a_page_read_again_gets_its_own_csrf_token_and_its_own_copy():
    from django_integration_kit._form_html import page_forms

    client = KitClient(enforce_csrf_checks=True)
    first, second = client.get("/contact/"), KitClient().get("/contact/")
    forms = page_forms(first.content, "/contact/")
    forms[1].values["name"] = ["changed by a test"]

    again = page_forms(second.content, "/contact/")

    assert again[1].values["csrfmiddlewaretoken"] == [str(second.context["csrf_token"])]
    assert forms[1].values["csrfmiddlewaretoken"] == [str(first.context["csrf_token"])]
    assert again[1].values["name"] == [""]
    assert submit_form(client, first, "#contact", name="Bob").status_code == 302
