"""Survey fixtures on top of the root personas (conftest.py).

`survey_world`: `world` plus A's satisfaction survey made from the template (languages sr, bs, en),
created by alice, with one open wave reachable by link — `survey_world.survey`,
`survey_world.wave`. The fixtures `survey` and `wave` return the same objects.
"""

import pytest


@pytest.fixture
def survey_world(world):
    from mreza.surveys.services.builder import add_wave, create_survey, open_wave

    world.survey = create_survey(
        world.a, world.alice, template="satisfaction", languages=["sr", "bs", "en"]
    )
    world.wave = add_wave(world.survey, name="Before")
    open_wave(world.wave)
    world.wave.refresh_from_db()
    return world


@pytest.fixture
def survey(survey_world):
    return survey_world.survey


@pytest.fixture
def wave(survey_world):
    return survey_world.wave
