import pytest

from mreza.text import bg_to_lat


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("абвгдежзийклмнопрстуфхцчшщъьюя", "abvgdezhziyklmnoprstufhtschshshtayyuya"),
        ("София", "Sofia"),
        ("Пловдив", "Plovdiv"),
        ("Търговище", "Targovishte"),
        ("Шумен", "Shumen"),
        ("Царево", "Tsarevo"),
        ("Чепеларе", "Chepelare"),
        ("Жеравна", "Zheravna"),
        ("Ямбол", "Yambol"),
        ("Юндола", "Yundola"),
        ("Йордан", "Yordan"),
        ("Хасково", "Haskovo"),
    ],
)
def test_letters(cyrillic, latin):
    assert bg_to_lat(cyrillic) == latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("джоб", "dzhob"),
        ("дзвън", "dzvan"),
        ("Жельо", "Zhelyo"),
        ("Йовков", "Yovkov"),
        ("майор", "mayor"),
    ],
)
def test_letter_combinations(cyrillic, latin):
    assert bg_to_lat(cyrillic) == latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("България", "Bulgaria"),
        ("БЪЛГАРИЯ", "BULGARIA"),
        ("Република България", "Republika Bulgaria"),
        ("българин", "balgarin"),  # only the name of the state keeps the tradition
        ("Мария", "Maria"),
        ("Мизия", "Mizia"),
        ("ИЯ", "IA"),
        ("Марияна", "Mariyana"),  # not at the end of the word
        ("Сияна", "Siyana"),
        ("Мария-Антоанета", "Maria-Antoaneta"),
    ],
)
def test_exceptions_in_the_act(cyrillic, latin):
    assert bg_to_lat(cyrillic) == latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Щастливо", "Shtastlivo"),
        ("ЩАСТЛИВО", "SHTASTLIVO"),
        ("Щ", "Sht"),
        ("Щ. Петров", "Sht. Petrov"),
        ("Щ. ПЕТРОВ", "SHT. PETROV"),
        ("ЖЕРАВНА", "ZHERAVNA"),
        ("ЧАЙ", "CHAY"),
        ("ШУМЕН", "SHUMEN"),
        ("ЦАРЕВО", "TSAREVO"),
        ("ЮГ", "YUG"),
        ("ЯМБОЛ", "YAMBOL"),
        ("ДЖ", "DZH"),
        ("ТОШ", "TOSH"),  # capital before, nothing after
    ],
)
def test_capitalisation(cyrillic, latin):
    assert bg_to_lat(cyrillic) == latin


def test_other_characters_pass_through():
    assert bg_to_lat("Sofia 2024, ђ љ ј — «ok»") == "Sofia 2024, ђ љ ј — «ok»"


def test_grave_i():
    assert bg_to_lat("дадох ѝ") == "dadoh i"
