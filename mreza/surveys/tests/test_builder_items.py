"""Items: the form's rules with their messages, versioned saves, order, show-if (issue 12, item
3.2). The fixture's survey (sr, bs, en) has an open wave without answers, so it is editable."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.surveys.models import Item
from mreza.surveys.services import builder


def _new(client, survey, kind, **data):
    return client.post(f"/surveys/{survey.pk}/items/new/{kind}/", data)


def _edit(client, item, **data):
    return client.post(f"/surveys/{item.survey_id}/items/{item.pk}/", data)


@pytest.fixture
def manager(client, survey_world):
    client.force_login(survey_world.alice)
    return client


CHOICE = {"code": "water", "text_sr": "Имате ли воду?", "options_sr": "yes | Да\nno | Не"}


def test_a_single_choice_item_is_added_at_the_end_with_its_answers(manager, survey):
    response = _new(
        manager,
        survey,
        "single",
        **CHOICE,
        text_bs="Imate li vodu?",
        options_bs="yes | Da\nno | Ne",
        options_en="yes | Yes",
        required="on",
    )
    assert response.status_code == 302
    item = survey.items.get(code="water")
    assert item.position == 7 and item.kind == Item.Kind.SINGLE and item.required
    assert item.text == {"sr": "Имате ли воду?", "bs": "Imate li vodu?"}
    assert item.options == [
        {"code": "yes", "text": {"sr": "Да", "bs": "Da", "en": "Yes"}},
        {"code": "no", "text": {"sr": "Не", "bs": "Ne"}},
    ]
    page = manager.get(f"/surveys/{survey.pk}/").content.decode()
    assert "Missing translations" in page and "water" in page


MESSAGES = [
    ("single", {**CHOICE, "options_sr": "yes | Да\nyes | Још"}, "Codes must be unique: “yes”"),
    ("single", {**CHOICE, "options_sr": "yes | Да"}, "Give at least two answers, one per line"),
    ("single", {**CHOICE, "options_sr": "yes | Да\nno |"}, "Line 2: write the text after the"),
    (
        "single",
        {**CHOICE, "options_sr": "yes | Да\nn o | Не"},
        "Line 2: the code “n o” may contain only letters, digits, - and _.",
    ),
    (
        "single",
        {**CHOICE, "options_bs": "maybe | Možda"},
        "Line 1: “maybe” is not one of the codes in the main language.",
    ),
    (
        "scale",
        {"code": "s", "text_sr": "Оцјена", "scale_min": 5, "scale_max": 5},
        "The highest value must be above the lowest value.",
    ),
    (
        "scale",
        {"code": "s", "text_sr": "Оцјена", "scale_min": 0, "scale_max": 20},
        "A scale has at most 11 points.",
    ),
    (
        "matrix",
        {"code": "m", "text_sr": "Оцјене", "scale_min": 1, "scale_max": 5, "rows_sr": ""},
        "Give at least one row, one per line",
    ),
    (
        "number",
        {"code": "n", "text_sr": "Колико?", "number_min": "10", "number_max": "2"},
        "The largest number must not be below the smallest number.",
    ),
    ("text", {"code": "t", "text_sr": ""}, "Write it in the main language (Serbian)."),
    ("text", {"code": "t", "text_sr": "x" * 501}, "at most 500 characters (it has 501)"),
    (
        "text",
        {"code": "t", "text_sr": "ok", "help_bs": "a\x00b"},
        "control character or line break (U+0000)",
    ),
    ("text", {"code": "overall", "text_sr": "ok"}, "already has the code “overall”."),
    ("text", {"code": "two words", "text_sr": "ok"}, "A code may contain only letters"),
    (
        "text",
        {"code": "t", "text_sr": "ok", "show_if_item": "overall", "show_if_options": []},
        "Choose one of the single or multiple choice questions before this one.",
    ),
    (
        "text",
        {"code": "t", "text_sr": "ok", "show_if_item": "trust"},
        "Choose at least one answer of “trust”.",
    ),
    (
        "text",
        {"code": "t", "text_sr": "ok", "show_if_item": "trust", "show_if_options": ["age:18-29"]},
        "Choose only answers of “trust”.",
    ),
    (
        "text",
        {"code": "t", "text_sr": "ok", "show_if_options": ["trust:yes"]},
        "Choose the question whose answer decides.",
    ),
    (
        "text",
        {"code": "t", "text_sr": "ok", "show_if_item": "trust", "show_if_options": ["trust:x"]},
        "Choose answers of the question chosen above.",
    ),
]


@pytest.mark.parametrize(("kind", "data", "message"), MESSAGES)
def test_every_rule_has_a_clear_message_and_nothing_is_saved(manager, survey, kind, data, message):
    response = _new(manager, survey, kind, **data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body, body[body.find("<form") : body.find("</form>")]
    assert survey.items.count() == 7
    if data.get("text_sr") and len(data["text_sr"]) < 100:
        assert data["text_sr"] in body  # what was typed is kept


def test_show_if_may_point_only_backwards(manager, survey):
    """The item form of "trust" offers no later question to depend on."""
    trust = survey.items.get(code="trust")
    response = _edit(
        manager,
        trust,
        code="trust",
        text_sr="Питање",
        options_sr="yes | Да\nno | Не",
        show_if_item="gender",
        show_if_options=["gender:woman"],
        version=trust.version,
    )
    assert response.status_code == 400
    assert "Choose one of the single or multiple choice questions before this one." in (
        response.content.decode()
    )


def test_a_show_if_is_saved_and_described_on_the_survey_page(manager, survey):
    _new(
        manager,
        survey,
        "text",
        code="why-not",
        text_sr="Зашто не?",
        text_en="Why not?",
        show_if_item="trust",
        show_if_options=["trust:no", "trust:dont-know"],
    )
    item = survey.items.get(code="why-not")
    assert item.show_if == {"item": "trust", "any_of": ["no", "dont-know"]}
    page = manager.get(f"/surveys/{survey.pk}/").content.decode()
    assert "Shown only if the answer to “trust” is: No, Don&#x27;t know" in page


def test_an_edit_keeps_the_texts_of_languages_the_survey_does_not_offer(manager, survey):
    gender = survey.items.get(code="gender")
    response = _edit(
        manager,
        gender,
        code="sex",
        text_sr="Пол",
        text_bs="Spol",
        options_sr="woman | Жена\nman | Мушкарац\nprefer-not | Не желим да кажем",
        is_demographic="on",
        version=gender.version,
    )
    assert response.status_code == 302
    gender.refresh_from_db()
    assert gender.code == "sex" and gender.version == 2
    assert gender.text == {"sr": "Пол", "bs": "Spol", "hr": "Vaš spol", "bg": "Вашият пол"}
    assert gender.options[0]["text"]["hr"] == "Žena"
    assert "en" not in gender.options[0]["text"]  # emptied in a language offered: removed
    assert [o["code"] for o in gender.options] == ["woman", "man", "prefer-not"]


def test_a_stale_edit_is_refused_with_409_and_the_text_kept(manager, survey):
    trust = survey.items.get(code="trust")
    builder.update_item(trust, {"required": True}, trust.version)
    response = _edit(
        manager,
        trust,
        code="trust",
        text_sr="Моја измјена",
        options_sr="yes | Да\nno | Не",
        version=1,
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this" in body and "Моја измјена" in body
    trust.refresh_from_db()
    assert trust.text["sr"] != "Моја измјена"
    assert 'name="version" value="2"' in body


def test_a_renamed_code_is_followed_by_the_items_that_depend_on_it(manager, survey):
    comment = survey.items.get(code="comment")
    builder.update_item(comment, {"show_if": {"item": "trust", "any_of": ["no"]}}, comment.version)
    trust = survey.items.get(code="trust")
    _edit(
        manager,
        trust,
        code="listens",
        text_sr="Да ли општина слуша грађане?",
        options_sr="yes | Да\nno | Не\ndont-know | Не знам",
        version=trust.version,
    )
    comment.refresh_from_db()
    assert comment.show_if == {"item": "listens", "any_of": ["no"]}


def test_an_answer_a_later_question_depends_on_cannot_be_removed(manager, survey):
    comment = survey.items.get(code="comment")
    builder.update_item(comment, {"show_if": {"item": "trust", "any_of": ["no"]}}, comment.version)
    trust = survey.items.get(code="trust")
    response = _edit(
        manager,
        trust,
        code="trust",
        text_sr="Т",
        options_sr="yes | Да\nmaybe | Можда",
        version=trust.version,
    )
    assert response.status_code == 400
    assert "“comment” is shown only for the answer “no”" in response.content.decode()


def test_a_question_others_depend_on_cannot_be_deleted_or_moved_after_them(manager, survey):
    comment = survey.items.get(code="comment")
    builder.update_item(comment, {"show_if": {"item": "settlement", "any_of": ["rural"]}}, 1)
    settlement = survey.items.get(code="settlement")
    response = manager.post(f"/surveys/{survey.pk}/items/{settlement.pk}/delete/", follow=True)
    assert "Other questions are shown depending on the answer to this one (comment)" in (
        response.content.decode()
    )
    assert survey.items.filter(code="settlement").exists()
    response = manager.post(
        f"/surveys/{survey.pk}/items/{settlement.pk}/move/", {"direction": "down"}, follow=True
    )
    assert "must stay after it" in response.content.decode()
    assert list(survey.items.values_list("code", flat=True))[-2:] == ["settlement", "comment"]


def test_items_move_up_and_down_and_are_deleted(manager, survey):
    overall = survey.items.get(code="overall")
    response = manager.post(f"/surveys/{survey.pk}/items/{overall.pk}/move/", {"direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{overall.pk}")
    assert list(survey.items.values_list("code", flat=True))[:2] == ["overall", "services"]
    manager.post(f"/surveys/{survey.pk}/items/{overall.pk}/move/", {"direction": "up"})
    assert list(survey.items.values_list("code", flat=True))[:2] == ["overall", "services"]
    manager.post(f"/surveys/{survey.pk}/items/{overall.pk}/move/", {"direction": "down"})
    assert list(survey.items.values_list("position", flat=True)) == list(range(7))
    assert list(survey.items.values_list("code", flat=True))[:2] == ["services", "overall"]
    age = survey.items.get(code="age")
    manager.post(f"/surveys/{survey.pk}/items/{age.pk}/delete/")
    assert not survey.items.filter(code="age").exists()


def test_moving_and_deleting_need_post(manager, survey):
    item = survey.items.first()
    assert manager.get(f"/surveys/{survey.pk}/items/{item.pk}/delete/").status_code == 405
    assert manager.get(f"/surveys/{survey.pk}/items/{item.pk}/move/").status_code == 405


def test_an_unknown_kind_is_not_found(manager, survey):
    assert manager.get(f"/surveys/{survey.pk}/items/new/essay/").status_code == 404


def test_an_item_of_another_survey_is_not_found(manager, survey, survey_world):
    other = builder.create_survey(
        survey_world.a, survey_world.alice, template="satisfaction", languages=["sr"]
    )
    foreign = other.items.first()
    assert manager.get(f"/surveys/{survey.pk}/items/{foreign.pk}/").status_code == 404


def test_the_survey_page_lists_missing_translations(manager, survey):
    page = manager.get(f"/surveys/{survey.pk}/").content.decode()
    assert "Missing translations" not in page  # the template has all of sr, bs and en
    builder.update_item(survey.items.get(code="overall"), {"text": {"sr": "Све у свему?"}}, 1)
    page = manager.get(f"/surveys/{survey.pk}/").content.decode()
    assert "Missing translations" in page
    assert (
        "<strong>Bosnian</strong>: overall" in page and "<strong>English</strong>: overall" in page
    )


def _detail_queries(client, survey):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/surveys/{survey.pk}/").status_code == 200
    return len(ctx.captured_queries)


def test_the_survey_page_costs_the_same_queries_for_7_and_40_items(manager, survey):
    manager.get(f"/surveys/{survey.pk}/")  # the session's first request loads more
    few = _detail_queries(manager, survey)
    for n in range(33):
        builder.create_item(
            survey,
            {
                "code": f"q{n}",
                "kind": "single",
                "text": {"sr": f"Питање {n}"},
                "options": [{"code": "a", "text": {"sr": "А"}}, {"code": "b", "text": {"sr": "Б"}}],
                "show_if": {"item": "trust", "any_of": ["yes"]},
            },
        )
    assert survey.items.count() == 40
    assert _detail_queries(manager, survey) == few
