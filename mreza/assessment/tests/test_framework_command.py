import io

import pytest
from django.core.management import CommandError, call_command

from mreza.assessment.frameworks.schema import FRAMEWORKS_DIR
from mreza.assessment.models import Framework


def test_loads_shipped_frameworks_idempotently(db):
    out = io.StringIO()
    call_command("load_framework", stdout=out)
    assert (
        "loaded (28 subcriteria)" in out.getvalue() and "loaded (12 subcriteria)" in out.getvalue()
    )
    assert Framework.objects.get(code="caf2020").subcriteria.count() == 28
    assert Framework.objects.get(code="eloge2023").subcriteria.count() == 12
    out = io.StringIO()
    call_command("load_framework", stdout=out)
    assert "already up to date" in out.getvalue()


def test_bad_file_is_refused_with_the_exact_place(db, tmp_path):
    text = (FRAMEWORKS_DIR / "caf2020.yaml").read_text(encoding="utf-8")
    broken = text.replace("      bg: Лидерство", "      bgx: Лидерство", 1)
    assert broken != text
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_framework", str(path), stdout=io.StringIO())
    message = str(error.value)
    assert (
        "not a valid framework" in message and "criteria[0].title" in message and "line" in message
    )
    assert not Framework.objects.exists()


def test_used_framework_cannot_change(world, assessment, tmp_path):
    text = (FRAMEWORKS_DIR / "caf2020.yaml").read_text(encoding="utf-8")
    changed = text.replace("en: Leadership\n", "en: Leadership and direction\n", 1)
    assert changed != text
    path = tmp_path / "caf-changed.yaml"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_framework", str(path), stdout=io.StringIO())
    assert "already used" in str(error.value) and "new version" in str(error.value)


def test_used_framework_accepts_a_corrected_translation(world, assessment, tmp_path):
    text = (FRAMEWORKS_DIR / "caf2020.yaml").read_text(encoding="utf-8")
    corrected = text.replace("      bs: Liderstvo\n", "      bs: Liderstvo (ispravljeno)\n", 1)
    assert corrected != text
    path = tmp_path / "caf-corrected.yaml"
    path.write_text(corrected, encoding="utf-8")
    call_command("load_framework", str(path), stdout=io.StringIO())
    framework = Framework.objects.get(code="caf2020")
    assert framework.criteria.get(position=0).title["bs"] == "Liderstvo (ispravljeno)"
    assert framework.assessments.filter(pk=assessment.pk).exists()
