# Bosnian: Django's module writes "2023 Jan. 1" (SHORT_DATE_FORMAT "Y M j", English month
# abbreviations)
# and never groups thousands. Bosnian writes "1. 1. 2023." and "1. januar 2023.", "12.345,6".
DATE_FORMAT = "j. F Y."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j. F Y. H:i"
YEAR_MONTH_FORMAT = "F Y."
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "j. n. Y."
SHORT_DATETIME_FORMAT = "j. n. Y. H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = [
    "%d. %m. %Y.",  # '25. 10. 2006.'
    "%d.%m.%Y.",  # '25.10.2006.'
    "%d.%m.%Y",  # '25.10.2006'
    "%d. %m. %y.",  # '25. 10. 06.'
    "%d.%m.%y.",  # '25.10.06.'
    "%Y-%m-%d",  # '2006-10-25'
]
DATETIME_INPUT_FORMATS = [
    "%d. %m. %Y. %H:%M:%S",  # '25. 10. 2006. 14:30:59'
    "%d. %m. %Y. %H:%M",  # '25. 10. 2006. 14:30'
    "%d.%m.%Y. %H:%M:%S",  # '25.10.2006. 14:30:59'
    "%d.%m.%Y. %H:%M",  # '25.10.2006. 14:30'
    "%Y-%m-%d %H:%M:%S",  # '2006-10-25 14:30:59'
    "%Y-%m-%d %H:%M",  # '2006-10-25 14:30'
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
