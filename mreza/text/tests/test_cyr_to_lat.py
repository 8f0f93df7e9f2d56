import pytest

from mreza.text import cyr_to_lat


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("абвгдђежзијклљмнњопрстћуфхцчџш", "abvgdđežzijklljmnnjoprstćufhcčdžš"),
        ("АБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШ", "ABVGDĐEŽZIJKLMNOPRSTĆUFHCČŠ"),
        ("Београд", "Beograd"),
        ("Бања Лука", "Banja Luka"),
        ("Ђорђе Чачак Шабац Жабљак Ћуприја", "Đorđe Čačak Šabac Žabljak Ćuprija"),
    ],
)
def test_letters(cyrillic, latin):
    assert cyr_to_lat(cyrillic) == latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Љубљана", "Ljubljana"),
        ("ЉУБЉАНА", "LJUBLJANA"),
        ("Његош", "Njegoš"),
        ("ЊЕГОШ", "NJEGOŠ"),
        ("Џеп", "Džep"),
        ("ЏЕП", "DŽEP"),
        ("КОЊ", "KONJ"),  # capital before, nothing after
        ("ЉУ", "LJU"),
        ("Љ", "Lj"),  # a lone initial in ordinary text
        ("Љ. Петровић", "Lj. Petrović"),
        ("Љ. ПЕТРОВИЋ", "LJ. PETROVIĆ"),  # a lone capital followed by capitals
        ("ПЕТРОВИЋ Љ.", "PETROVIĆ LJ."),
        ("ПЕТРОВИЋ, Љ.", "PETROVIĆ, LJ."),
        ("Петровић Љ.", "Petrović Lj."),
        ("ЉубиШа", "LjubiŠa"),
        ("љУ", "ljU"),
    ],
)
def test_digraph_capitals_follow_their_context(cyrillic, latin):
    assert cyr_to_lat(cyrillic) == latin


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Banja Luka 2024",
        "щ ъ ь ю я ё ы э ї є ѓ",  # Bulgarian, Russian, Ukrainian and Macedonian letters
        "χαίρετε 日本 ☺",
    ],
)
def test_other_characters_pass_through(text):
    assert cyr_to_lat(text) == text


def test_only_serbian_letters_change_in_other_languages():
    assert cyr_to_lat("Щастливо, Ямбол") == "Щastlivo, Яmbol"


def test_mixed_text():
    assert cyr_to_lat("Град Бањa Luka, ЈП «Водовод» д.о.о.") == (
        "Grad Banja Luka, JP «Vodovod» d.o.o."
    )


def test_is_deterministic_and_keeps_whitespace():
    text = "Ниш\n\tНови Сад  "
    assert cyr_to_lat(text) == cyr_to_lat(text) == "Niš\n\tNovi Sad  "
