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
    page_path,
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


def test_send_posts_to_the_action_and_gets_it_without_its_query():
    (post,) = parse_forms(PAGE, "/page/")
    (get,) = parse_forms('<form action="/search/?next=/a/?b=1"><input name="q"></form>', "/")

    request = send(post, {"csrfmiddlewaretoken": "tok", "title": "Hi"})
    assert (request.method, request.path) == ("post", "/page/next/?a=1")
    assert request.data == {"csrfmiddlewaretoken": "tok", "title": "Hi"}
    # A browser replaces the query string of a GET form's action with the form's fields.
    request = send(get, {"q": "kit"})
    assert (request.method, request.path, request.data) == ("get", "/search/", {"q": "kit"})


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


def test_fill_types_every_value_after_a_button_or_a_ticked_box():
    (form,) = parse_forms(PAGE, "/page/")

    assert fill(form, {"go": True, "title": "New"}) == fill(form, {"title": "New", "go": True})
    assert fill(form, {"go": True, "title": "New"})["title"] == "New"
    assert fill(form, {"tags": True, "body": "Text"})["body"] == "Text"


def test_false_or_none_leaves_a_choice_unchosen():
    (form,) = parse_forms(PAGE, "/page/")
    (choices,) = parse_forms(CHOICES)

    assert "tags" not in fill(form, {"tags": False})
    assert "size" not in fill(choices, {"size": None})  # no radio of the group is checked


def test_plain_fields_take_true_as_on_and_files_as_they_are():
    (form,) = parse_forms(PAGE, "/page/")
    upload = SimpleUploadedFile("notes.txt", b"notes")

    # What a browser sends for a box without a value; the test client uploads what it can read.
    assert fill(form, {"title": True})["title"] == "on"
    assert fill(form, {"body": upload})["body"] is upload


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


def test_a_disabled_button_named_by_its_value_cannot_be_clicked():
    assert failure(Client(), "/widgets/buttons/", delete="1") == (
        "Submit button 'Delete' (delete=1, disabled) of form #post is disabled, so a browser "
        "cannot click it; enable it in the page or choose another button."
    )


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


def test_button_in_no_form_lists_a_form_without_buttons_as_none():
    assert failure(Client(), "/widgets/upload/", button="Nope") == (
        "No form on GET /widgets/upload/ has a submit button 'Nope'; the forms' buttons are: "
        "#upload: 'Upload' (no name); #plain: (none)."
    )


def test_button_in_no_form_lists_all_buttons_of_a_form():
    client = Client()
    client.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw"))
    group = ContentType.objects.get(app_label="auth", model="group")
    url = f"/widgets/admin/contenttypes/contenttype/{group.pk}/change/"

    assert failure(client, url, button="Nope") == (
        f"No form on GET {url} has a submit button 'Nope'; the forms' buttons are: "
        "#logout-form: 'Log out' (no name); #contenttype_form: 'Save' (_save=Save), "
        "'Save and add another' (_addanother=Save and add another), "
        "'Save and continue editing' (_continue=Save and continue editing)."
    )


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


def test_an_unoffered_option_lists_values_and_the_texts_that_differ():
    (form,) = parse_forms(
        '<form><select name="pick"><option>plain</option><option value="v"></option>'
        '<option value="b">Blue</option></select><select name="empty"></select></form>'
    )

    with pytest.raises(AssertionError) as excinfo:
        fill(form, {"pick": "green"})
    assert str(excinfo.value) == (
        "Field 'pick' of the form has no option 'green'; pass the value or text of one of its "
        "options: 'plain', 'v', 'b' (Blue)."
    )
    with pytest.raises(AssertionError) as excinfo:
        fill(form, {"empty": "x"})
    assert str(excinfo.value) == (
        "Field 'empty' of the form has no option 'x'; pass the value or text of one of its "
        "options: (none)."
    )


def test_a_disabled_checkbox_carried_by_a_hidden_input_cannot_be_ticked():
    # A disabled box is never sent, so pages send its value in a hidden input of the same name.
    (form,) = parse_forms(
        '<form><input type="checkbox" name="terms" value="yes" checked disabled>'
        '<input type="hidden" name="terms" value="yes"></form>'
    )

    assert fill(form, {}) == {"terms": "yes"}
    with pytest.raises(AssertionError) as excinfo:
        fill(form, {"terms": "yes"})
    assert str(excinfo.value) == (
        "Option 'yes' of field 'terms' in the form is disabled, so a browser cannot choose it; "
        "choose another option or enable it in the page."
    )
    with pytest.raises(AssertionError) as excinfo:
        fill(form, {"terms": True})
    assert str(excinfo.value) == (
        "Field 'terms' of the form has no option True; pass the value or text of one of its "
        "options: (none)."
    )


def test_true_for_a_box_whose_only_value_is_disabled_names_that_option():
    (form,) = parse_forms(
        '<form><input type="checkbox" name="agree" value="True" disabled>'
        '<input type="hidden" name="agree" value="True"></form>'
    )

    with pytest.raises(AssertionError) as excinfo:
        fill(form, {"agree": True})
    assert str(excinfo.value) == (
        "Option 'True' of field 'agree' in the form is disabled, so a browser cannot choose it; "
        "choose another option or enable it in the page."
    )


def test_page_path_is_the_path_and_query_the_response_answered():
    response = Client().get("/contact/?topic=sales")

    assert page_path(response) == "/contact/?topic=sales"


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


def test_a_selector_picks_the_form_its_match_belongs_to():
    client = Client()
    page = client.get("/widgets/outside/")

    # Inside #order, but form="other" hands it to #other.
    assert "elsewhere" in sent(submit_form(client, page, "[name=elsewhere]"))
    assert sent(submit_form(client, page, "[name=item]"))["item"] == ["tea"]
    assert sent(submit_form(client, page, "body > form:first-of-type"))["item"] == ["tea"]
    books = client.get("/widgets/books/")
    # A control deep inside a form's rows.
    response = submit_form(client, books, "[name=form-1-title]", **{"form-1-title": "Odes II"})
    assert response.json()["books"][1] == {"title": "Odes II", "genre": "poetry"}
    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page, "[name=orphan]")
    assert str(excinfo.value) == (
        "No form matches selector '[name=orphan]' on GET /widgets/outside/; its forms are: "
        "#order (POST /widgets/echo/), #other (POST /widgets/echo/)."
    )


def test_a_selector_matching_several_forms_fails_listing_them():
    client = Client()

    assert failure(client, "/contact/", "form") == (
        "Selector 'form' matches 2 forms on GET /contact/: form.search (GET /search/), "
        "#contact (POST /contact/); make it name one."
    )
    assert failure(client, "/widgets/outside/", "[form]") == (
        "Selector '[form]' matches 2 forms on GET /widgets/outside/: #order (POST /widgets/echo/), "
        "#other (POST /widgets/echo/); make it name one."
    )
    assert failure(client, "/widgets/outside/", "body") == (
        "Selector 'body' matches 2 forms on GET /widgets/outside/: #order (POST /widgets/echo/), "
        "#other (POST /widgets/echo/); make it name one."
    )


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


def test_add_formset_rows_copies_only_the_empty_forms_defaults():
    page = Client().get("/widgets/books/")
    (form,) = parse_forms(
        '<form><input type="hidden" name="x-TOTAL_FORMS" value="0">'
        '<select name="x-__prefix__-tags" multiple><option selected>a</option>'
        "<option selected>b</option><option>c</option></select></form>"
    )

    # Row 0 of a formset without an empty form is a book of its own, not defaults to copy.
    assert add_formset_rows(page, "form", {"title": "Poems"}) == {
        "form-TOTAL_FORMS": "3",
        "form-2-title": "Poems",
    }
    assert add_formset_rows(form, "x", {}) == {"x-TOTAL_FORMS": "1", "x-0-tags": ["a", "b"]}


def test_add_formset_rows_picks_the_form_by_selector():
    client = Client()
    books, contact = client.get("/widgets/books/"), client.get("/contact/")

    assert add_formset_rows(books, "form", {"title": "Poems"}, selector="form[method=post]") == {
        "form-TOTAL_FORMS": "3",
        "form-2-title": "Poems",
    }
    with pytest.raises(AssertionError) as excinfo:
        add_formset_rows(books, "form", selector="#nope")
    assert str(excinfo.value) == (
        "No form matches selector '#nope' on GET /widgets/books/; its forms are: "
        "#books (POST /widgets/books/)."
    )
    with pytest.raises(AssertionError) as excinfo:
        add_formset_rows(contact, "form", selector="#contact")
    assert str(excinfo.value) == (
        "Formset 'form' in form #contact shows no row to copy (no form-0-... or "
        "form-__prefix__-... fields); render formset.empty_form in the page."
    )


def test_add_formset_rows_on_a_page_without_formsets_fails():
    with pytest.raises(AssertionError) as excinfo:
        add_formset_rows(Client().get("/contact/"), "form")

    assert str(excinfo.value) == (
        "No form on GET /contact/ has a formset with prefix 'form' (a field 'form-TOTAL_FORMS'); "
        "the page's formset prefixes are: (none)."
    )


def test_total_forms_counts_the_rows_a_browser_sends():
    def formset(total):
        (form,) = parse_forms(
            f'<form><input type="hidden" name="x-TOTAL_FORMS" {total}>'
            '<input name="x-__prefix__-n"></form>'
        )
        return form

    # A disabled TOTAL_FORMS is never sent, so the formset has no rows yet.
    assert add_formset_rows(formset('value="3" disabled'), "x", {"n": "1"}) == {
        "x-TOTAL_FORMS": "1",
        "x-0-n": "1",
    }
    with pytest.raises(AssertionError) as excinfo:
        add_formset_rows(formset('value="two"'), "x", {"n": "1"})
    assert (
        str(excinfo.value) == "Field 'x-TOTAL_FORMS' of the form is 'two', not a number of rows."
    )


def test_a_field_in_no_form_is_named_beside_new_formset_rows():
    client = Client()
    client.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw"))
    group = ContentType.objects.get(app_label="auth", model="group")
    url = f"/widgets/admin/contenttypes/contenttype/{group.pk}/change/"
    page = client.get(url)

    rows = add_formset_rows(page, "permission_set", {"name": "Can file", "codename": "file"})

    with pytest.raises(AssertionError) as excinfo:
        submit_form(client, page, **rows, nme="x")

    assert str(excinfo.value).startswith(
        f"Field 'nme' is not in any form on GET {url}; the forms' fields are: "
        "#logout-form: csrfmiddlewaretoken; #contenttype_form: csrfmiddlewaretoken, app_label, "
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


def test_choose_form_matches_css_in_the_html_it_is_given():
    forms = parse_forms(LABELS)

    assert choose_form(forms, "GET /", "section > form:first-child", LABELS) is forms[3]
    with pytest.raises(AssertionError) as excinfo:
        choose_form(forms, "GET /", "form.narrow", LABELS)
    assert str(excinfo.value).startswith(
        "No form matches selector 'form.narrow' on GET /; its forms are: "
        'form[action="/a/"] (GET /a/), '
    )
    with pytest.raises(AssertionError) as excinfo:
        choose_form([], "GET /empty/")
    assert str(excinfo.value) == "No <form> on GET /empty/."


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


def test_submit_form_refuses_what_is_not_a_response_shortening_it():
    html = "<html><body>" + "<p>text</p>" * 10 + "</body></html>"

    with pytest.raises(TypeError) as excinfo:
        submit_form(Client(), html.encode())
    assert str(excinfo.value).startswith(
        "submit_form() takes as response= (its second argument) a response from a test client, "
        "not bytes b'<html><body><p>text</p><p>text</p><p>text</p><p>text</p><p…; pass the "
        "response of the page with the form"
    )
    with pytest.raises(TypeError) as excinfo:
        submit_form(Client(), {"content": html})
    assert "a response from a test client, not dict {'content': '<html>" in str(excinfo.value)


def test_submit_form_shows_at_most_60_characters_of_what_it_refuses():
    def shown(response):
        with pytest.raises(TypeError) as excinfo:
            submit_form(Client(), response)
        return str(excinfo.value).split(", not str ")[1].split("; pass the response")[0]

    assert shown("x" * 58) == repr("x" * 58)
    assert shown("x" * 59) == repr("x" * 59)[:60] + "…"


def test_submit_form_masks_a_password_typed_in_when_refusing_the_response():
    with pytest.raises(TypeError) as excinfo:
        submit_form(Client(), "<p>Kit-pass-1</p>", password="Kit-pass-1")

    assert "not str '<p>********</p>'" in str(excinfo.value)
    assert "Kit-pass-1" not in str(excinfo.value)


def test_submit_form_uses_the_kit_clients_last_response():
    client = KitClient()
    client.get("/widgets/locked/")

    assert sent(submit_form(client, size="m"))["size"] == ["m"]


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


def test_a_form_mutated_in_place_leaves_the_page_read_for_the_next_test_intact():
    from django_integration_kit._form_html import page_forms

    first, second = KitClient().get("/contact/"), KitClient().get("/contact/")
    (_, form) = page_forms(first.content, "/contact/")
    form.values["name"].append("appended by a test")
    form.values["topic"].clear()
    form.names.append("extra")
    form.types["name"] = "hidden"
    form.options["topic"].append("spam")
    form.required.clear()
    form.locked.clear()
    form.buttons.clear()
    form.multiple.add("topic")

    (_, again) = page_forms(second.content, "/contact/")

    assert again.values["name"] == [""]
    assert again.values["topic"] == ["help"]
    assert again.names == [
        "csrfmiddlewaretoken", "source", "name", "topic", "subscribe", "body", "disabled_field",
        "send",
    ]  # fmt: skip
    assert (again.types["name"], again.options["topic"]) == ("text", ["help", "sales"])
    assert (again.required, again.locked) == (["name"], {"disabled_field": "disabled"})
    assert [button.value for button in again.buttons] == ["1"]
    assert again.multiple == set()
    assert submit_form(KitClient(), second, "#contact", name="Bob").status_code == 302


def test_a_page_is_parsed_once_for_its_forms_and_its_errors(monkeypatch):
    from collections import OrderedDict

    from django_integration_kit import _form_html

    parsed = []
    parser = _form_html.LexborHTMLParser
    monkeypatch.setattr(_form_html, "_READ_PAGES", OrderedDict())
    monkeypatch.setattr(
        _form_html, "LexborHTMLParser", lambda content: parsed.append(content) or parser(content)
    )
    data = {"username": "", "password1": "Kit-pass-1", "password2": "Kit-pass-2"}
    # Each client gets its own CSRF token, so the two pages differ in that alone.
    first, second = KitClient().post("/signup/", data), KitClient().post("/signup/", data)

    errors = _form_html.page_errors(first.content)
    errors.clear()
    forms = _form_html.page_forms(second.content, "/signup/")

    assert _form_html.page_errors(second.content) == [
        ("username", "This field is required."),
        ("password2", "The two password fields didn’t match."),
    ]
    assert forms[-1].values["csrfmiddlewaretoken"] == [str(second.context["csrf_token"])]
    assert len(parsed) == 1


def test_a_page_showing_its_csrf_token_outside_the_token_input_is_read_on_its_own():
    from django_integration_kit._form_html import page_forms

    def page(token):
        return (
            f'<script>const token = "{token}";</script><form method="post">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<input name="echo" value="{token}"></form>'
        ).encode()

    page_forms(page("first-token-value"), "/")
    (form,) = page_forms(page("second-token-value"), "/")

    assert form.values == {
        "csrfmiddlewaretoken": ["second-token-value"],
        "echo": ["second-token-value"],
    }


def test_submitting_and_the_flows_leave_the_page_read_as_it_was_parsed():
    from django_integration_kit import login, signup
    from django_integration_kit._form_html import page_forms

    client = KitClient()
    page = client.get("/contact/")
    submit_form(client, page, "#contact", name="Bob", topic="Sales", subscribe=True)
    user = signup(client)
    login(client, user.username, user.raw_password)

    for response, path in ((page, "/contact/"), (client.get("/login/"), "/login/")):
        assert page_forms(response.content, path) == parse_forms(response.content, path)
