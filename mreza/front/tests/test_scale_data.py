"""Issue 9 follow-up: generate_scale_data bulk-creates regions and municipalities (no post_save
signals), so it drops the cached directory choices and map points itself."""

import io

from django.core.management import call_command

from mreza.registry import choices
from mreza.registry.models import Country


def test_new_synthetic_regions_and_municipalities_show_at_once(db):
    # the country exists already, so no save of it invalidates anything on the command's behalf
    Country.objects.create(code="XX", name="Synthetic country")
    assert choices.region_choices("XX") == []  # cached now: the directory filter was shown
    assert "XX" not in choices.map_countries()

    call_command(
        "generate_scale_data",
        "--municipalities",
        "60",
        "--seed",
        "11",
        "--assessment-share",
        "0",
        stdout=io.StringIO(),
    )

    assert choices.region_choices("XX") == [("SYN11-R00000", "Okrug 1")]
    assert "XX" in choices.map_countries()
