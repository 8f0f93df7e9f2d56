"""Word lists that Latin → Cyrillic needs because Gaj Latin is not one-to-one.

Add to these tuples when a word comes out wrong; the regexes in serbian.py are built from them.
All entries are lower-case and matched case-insensitively at the start of a word, optionally
after the negating prefix "ne" (neinjektiran, nenadživljen).
"""

# Stems in which "lj", "nj" or "dž" spells two Cyrillic letters. "|" marks where the two
# letters part: "in|jek" gives инјекција, not ињекција. No Serbian "lj" needs an entry.
SPLIT_DIGRAPH_STEMS: tuple[str, ...] = (
    # nj: Latin in-/con- or a prefix ending in n before a j-root
    "an|jon",  # anjon
    "ben|jamin",  # Benjamin
    "in|jek",  # injekcija, injektor
    "in|jic",  # injicirati
    "in|junk",  # injunkcija
    "in|jur",  # injurija
    "kon|jekt",  # konjektura
    "kon|jug",  # konjugacija, konjugovan
    "kon|jukt",  # konjuktivitis, a frequent misspelling
    "kon|junk",  # konjunkcija, konjunktura, konjunktivitis
    "pan|jugoslov",  # panjugoslovenski
    "tan|jug",  # Tanjug, the news agency (but tanjur is тањур)
    "van|jevrop",  # vanjevropski
    "van|jezi",  # vanjezički
    "van|jugoslov",  # vanjugoslovenski
    # dž outside the prefix system below
    "feld|žandar",  # feldžandarm
)

# dž across a prefix boundary: a prefix ending in d before a root beginning with ž
# (nadživeti = nad + živeti → надживети). Every prefix is combined with every root; only
# roots are listed whose combinations are not also ordinary џ words (odžak, nadžak, Odžaci
# and hodža keep џ because "žak", "žac" and "ža" are not here).
PREFIXES_ENDING_IN_D: tuple[str, ...] = ("od", "nad", "pod", "pred", "ispod", "iznad", "ispred")
ROOTS_STARTING_WITH_Ž: tuple[str, ...] = (
    "žal",  # odžaliti
    "žanj",  # nadžanjem
    "žanr",  # podžanr
    "žar",  # odžariti
    "ždrel",  # nadždrelni
    "žel",  # podželjeti
    "žet",  # nadžeti
    "žig",  # podžigati
    "živ",  # nadživeti, odživjeti, predživotni
    "žlezd",  # podžlezdani
    "žlijezd",  # podžlijezdani
    "žnj",  # nadžnjeti, podžnjeti
    "žub",  # odžuboriti
    "žup",  # podžupan, nadžupnik
    "žval",  # odžvaliti
    "žvać",  # odžvaćen
    "žvak",  # odžvakati
)

# Capitalised Serbian words that are also valid Roman numerals, and which neighbouring
# all-caps word (or words) makes them Serbian: "both" for a conjunction standing between two
# words (BANJA LUKA I OKOLINA), "next" for a pronoun before its verb (MI SMO), "either"
# otherwise (DA LI). Without such a neighbour they stay numerals: FAZA I, POGLAVLJE VI.
ROMAN_NUMERAL_LOOKALIKES: dict[str, str] = {
    "I": "both",
    "MI": "next",
    "VI": "next",
    "LI": "either",
    "DIV": "either",
}
