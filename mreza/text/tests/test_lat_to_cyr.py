import time

import pytest

from mreza.text import lat_to_cyr


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("abvgdđežzijklljmnnjoprstćufhcčdžš", "абвгдђежзијклљмнњопрстћуфхцчџш"),
        ("Beograd", "Београд"),
        ("Banja Luka", "Бања Лука"),
        ("Ljubljana", "Љубљана"),
        ("LJUBLJANA", "ЉУБЉАНА"),
        ("LJubljana", "Љубљана"),
        ("Njegoš NJEGOŠ", "Његош ЊЕГОШ"),
        ("Džep DŽEP", "Џеп ЏЕП"),
        ("Đorđe Čačak Šabac Žabljak Ćuprija", "Ђорђе Чачак Шабац Жабљак Ћуприја"),
    ],
)
def test_letters_and_digraphs(latin, cyrillic):
    assert lat_to_cyr(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("injekcija", "инјекција"),
        ("Injekcija", "Инјекција"),
        ("INJEKCIJA", "ИНЈЕКЦИЈА"),
        ("injicirati", "инјицирати"),
        ("konjugacija", "конјугација"),
        ("konjunktura", "конјунктура"),
        ("anjon", "анјон"),
        ("Tanjug", "Танјуг"),
        ("vanjezički", "ванјезички"),
        ("nadživeti", "надживети"),
        ("NADŽIVETI", "НАДЖИВЕТИ"),
        ("nadživjeti", "надживјети"),
        ("odživjeti", "одживјети"),
        ("nadžnjeti", "наджњети"),  # the dž is split, the nj is not
        ("podžupan", "поджупан"),
        ("Podžupan", "Поджупан"),
        ("podžanr", "поджанр"),
        ("odžaliti", "оджалити"),
        ("predživotni", "предживотни"),
        ("feldžandarm", "фелджандарм"),
        ("neinjektiran", "неинјектиран"),  # after the negating prefix
        ("nenadživljen", "ненадживљен"),
    ],
)
def test_digraph_exceptions_are_two_letters(latin, cyrillic):
    assert lat_to_cyr(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("kanjon", "кањон"),  # anjon only at the start of a word
        ("tanjur", "тањур"),
        ("konj konji", "коњ коњи"),
        ("odžak", "оџак"),
        ("Odžaci", "Оџаци"),
        ("nadžak", "наџак"),
        ("hodža", "хоџа"),
        ("džamija", "џамија"),
        ("svinjac injekcija", "свињац инјекција"),
    ],
)
def test_ordinary_digraphs_near_the_exceptions(latin, cyrillic):
    assert lat_to_cyr(latin) == cyrillic


def test_ascii_dj_is_not_read_as_đ():
    assert lat_to_cyr("gdje odjel Djurdjevac") == "гдје одјел Дјурдјевац"


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Ðurðevik", "Ђурђевик"),
        ("ðak", "ђак"),
        ("ǅep ǆep Ǆ", "Џеп џеп Џ"),
        ("ǈubav ǋegoš", "Љубав Његош"),
    ],
)
def test_đ_and_digraph_variants(latin, cyrillic):
    assert lat_to_cyr(latin) == cyrillic


def test_decomposed_diacritics():
    assert lat_to_cyr("c\u030cas s\u030cuma") == "час шума"


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Windows i Word", "Windows и Word"),
        ("taxi, yoga, quiz", "taxi, yoga, quiz"),
        ("Jürgen i André", "Jürgen и André"),
        ("Wi-Fi mreža", "Wi-Fi мрежа"),
        ("x-zraci", "x-zraci"),  # a hyphenated compound is one word
    ],
)
def test_foreign_words_stay_latin(latin, cyrillic):
    assert lat_to_cyr(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Vidi https://opstina.rs/Vijesti?id=5.", "Види https://opstina.rs/Vijesti?id=5."),
        ("(www.banjaluka.rs.ba)", "(www.banjaluka.rs.ba)"),
        ("Pišite na info@opstina-ilidza.ba danas", "Пишите на info@opstina-ilidza.ba данас"),
        ("Pratite @opstina_ilidza na mreži", "Пратите @opstina_ilidza на мрежи"),
        ("Sajt: Opstina.ba/kontakt i dalje", "Сајт: Opstina.ba/kontakt и даље"),
    ],
)
def test_addresses_and_handles_stay_latin(latin, cyrillic):
    assert lat_to_cyr(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("XIV vijek", "XIV вијек"),
        ("II svjetski rat", "II свјетски рат"),
        ("Petar I Karađorđević", "Петар I Карађорђевић"),
        ("FAZA I", "ФАЗА I"),
        ("POGLAVLJE VI", "ПОГЛАВЉЕ VI"),
        ("član MCMXCIV", "члан MCMXCIV"),
        ("Vitamin C i D", "Витамин C и D"),
        ("I. UVOD", "I. УВОД"),
    ],
)
def test_roman_numerals_stay_latin(latin, cyrillic):
    assert lat_to_cyr(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("i v", "и в"),  # lower case is never a numeral
        ("I tako dalje.", "И тако даље."),
        ("Kiša je pala. I onda sunce.", "Киша је пала. И онда сунце."),
        ("BANJA LUKA I OKOLINA", "БАЊА ЛУКА И ОКОЛИНА"),
        ("MI SMO TU", "МИ СМО ТУ"),
        ("VI STE", "ВИ СТЕ"),
        ("DA LI", "ДА ЛИ"),
        ("V. Petrović i M. Marković", "В. Петровић и М. Марковић"),  # initials
        ("Vi i mi", "Ви и ми"),
        ("Civil", "Цивил"),
    ],
)
def test_capital_words_shaped_like_numerals(latin, cyrillic):
    assert lat_to_cyr(latin) == cyrillic


def test_cyrillic_and_other_text_pass_through():
    text = "Бања Лука 2024 — «χαίρετε»"
    assert lat_to_cyr(text) == text


def test_mixed_word_is_completed():
    assert lat_to_cyr("Бanja") == "Бања"


@pytest.mark.parametrize(
    "text",
    ["a." * 50_000, "a" * 50_000 + "@", "a-" * 50_000 + "a w", "MI " * 10_000, "I " * 10_000],
)
def test_time_grows_linearly_with_hostile_input(text):
    started = time.perf_counter()
    lat_to_cyr(text)
    assert time.perf_counter() - started < 3
