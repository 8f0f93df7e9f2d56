"""Text handling for Serbian, Bosnian, Croatian and Bulgarian: transliteration and search keys.

Pure Python, no Django: safe to use in migrations, management commands and scripts.
"""

from .bulgarian import bg_to_lat
from .folding import fold, fold_query_matches, search_key
from .script import detect_script, to_script
from .serbian import cyr_to_lat, lat_to_cyr

__all__ = [
    "bg_to_lat",
    "cyr_to_lat",
    "detect_script",
    "fold",
    "fold_query_matches",
    "lat_to_cyr",
    "search_key",
    "to_script",
]
