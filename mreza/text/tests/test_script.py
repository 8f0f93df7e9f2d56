import pytest

from mreza.text import detect_script, to_script


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Бања Лука", "cyrl"),
        ("Banja Luka", "latn"),
        ("София", "cyrl"),
        ("Град Бања Лука, Facebook", "cyrl"),
        ("Opština Ilidža, ЈП", "latn"),
        ("", ""),
        ("2024 — 15%", ""),
        ("Бања Luka", ""),  # a tie
    ],
)
def test_detect_script(text, script):
    assert detect_script(text) == script


@pytest.mark.parametrize(
    ("text", "script", "expected"),
    [
        ("Banja Luka", "cyrl", "Бања Лука"),
        ("Бања Лука", "latn", "Banja Luka"),
        ("Бања Лука", "cyrl", "Бања Лука"),
        ("Banja Luka", "latn", "Banja Luka"),
        ("Banja Luka", "Cyrl", "Бања Лука"),  # ISO 15924 spelling
        ("Фирма Microsoft у Бањој Луци", "cyrl", "Фирма Microsoft у Бањој Луци"),
        ("Фирма Microsoft у Бањој Луци", "latn", "Firma Microsoft u Banjoj Luci"),
        ("Opština Ilidža i ЈП Водовод", "cyrl", "Општина Илиџа и ЈП Водовод"),
        ("", "latn", ""),
    ],
)
def test_to_script(text, script, expected):
    assert to_script(text, script) == expected


def test_text_already_in_the_script_is_returned_untouched():
    text = "Опис: Coca Cola и ИТ сектор"
    assert to_script(text, "cyrl") is text


def test_to_script_rejects_unknown_scripts():
    with pytest.raises(ValueError, match="cyrl"):
        to_script("Banja Luka", "sr-Cyrl")
