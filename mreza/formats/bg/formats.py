# Bulgarian: Django's module has no thousands grouping and no year marker.
# Bulgarian writes "31.01.2023 г." and "31 януари 2023 г.", "12 345,6".
DATE_FORMAT = r"j F Y \г."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j F Y \г., H:i"
YEAR_MONTH_FORMAT = r"F Y \г."
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = r"d.m.Y \г."
SHORT_DATETIME_FORMAT = r"d.m.Y \г., H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '25.10.2006'
    "%d.%m.%Y г.",  # '25.10.2006 г.'
    "%d.%m.%y",  # '25.10.06'
    "%Y-%m-%d",  # '2006-10-25'
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
