"""The framework files shipped in this folder are valid and have the expected shape."""

from __future__ import annotations

import pytest

from ..schema import (
    FRAMEWORKS_DIR,
    KNOWN_LANGUAGES,
    check_framework,
    iter_subcriteria,
    load_framework,
    shipped_framework_paths,
)

CAF_SUBCRITERIA = [
    "1.1", "1.2", "1.3", "1.4",
    "2.1", "2.2", "2.3", "2.4",
    "3.1", "3.2", "3.3",
    "4.1", "4.2", "4.3", "4.4", "4.5", "4.6",
    "5.1", "5.2", "5.3",
    "6.1", "6.2",
    "7.1", "7.2",
    "8.1", "8.2",
    "9.1", "9.2",
]  # fmt: skip


@pytest.fixture(scope="module")
def caf() -> dict:
    return load_framework(FRAMEWORKS_DIR / "caf2020.yaml")


@pytest.fixture(scope="module")
def eloge() -> dict:
    return load_framework(FRAMEWORKS_DIR / "eloge2023.yaml")


def test_both_files_are_shipped():
    names = {p.name for p in shipped_framework_paths()}
    assert {"caf2020.yaml", "eloge2023.yaml"} <= names


@pytest.mark.parametrize("path", shipped_framework_paths(), ids=lambda p: p.name)
def test_shipped_file_validates(path):
    errors = check_framework(path)
    assert errors == [], "\n".join(str(e) for e in errors)


@pytest.mark.parametrize("path", shipped_framework_paths(), ids=lambda p: p.name)
def test_shipped_file_offers_all_five_languages(path):
    data = load_framework(str(path))  # a str path works too
    assert data["languages"] == list(KNOWN_LANGUAGES)
    assert "sr-latn" not in _all_keys(data)


def _all_keys(node) -> set:
    if isinstance(node, dict):
        return set(node).union(*(_all_keys(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_all_keys(v) for v in node))
    return set()


def test_caf_has_9_criteria_and_28_subcriteria(caf):
    assert [c["code"] for c in caf["criteria"]] == [str(n) for n in range(1, 10)]
    codes = [s["code"] for c in caf["criteria"] for s in c["subcriteria"]]
    assert codes == CAF_SUBCRITERIA
    assert len(codes) == 28


def test_caf_subcriteria_have_3_to_6_examples(caf):
    for crit in caf["criteria"]:
        for sub in crit["subcriteria"]:
            assert 3 <= len(sub["examples"]) <= 6, sub["code"]


def test_caf_enablers_and_results_panels(caf):
    assert caf["scoring_methods"] == ["classic", "fine_tuned"]
    for crit, sub, panels in iter_subcriteria(caf):
        expected = "enablers" if int(crit["code"]) <= 5 else "results"
        assert set(panels) == {"classic", "fine_tuned"}, sub["code"]
        assert {p["kind"] for p in panels.values()} == {expected}, sub["code"]


def test_caf_classic_bands_follow_the_guideline(caf):
    panels = {p["code"]: p for p in caf["panels"]}
    expected = [[0, 10], [11, 30], [31, 50], [51, 70], [71, 90], [91, 100]]
    for code in ("classic-enablers", "classic-results"):
        panel = panels[code]
        assert (panel["min"], panel["max"], panel["step"]) == (0, 100, 1)
        assert [b["range"] for b in panel["bands"]] == expected
    labels = [b["label"]["en"] for b in panels["classic-enablers"]["bands"]]
    assert labels == ["Not started", "Plan", "Do", "Check", "Act", "Full PDCA cycle"]
    assert panels["classic-enablers"]["cumulative"] is True


def test_caf_fine_tuned_dimensions(caf):
    panels = {p["code"]: p for p in caf["panels"]}
    enablers, results = panels["fine-tuned-enablers"], panels["fine-tuned-results"]
    assert [d["code"] for d in enablers["dimensions"]] == ["plan", "do", "check", "act"]
    assert [d["code"] for d in results["dimensions"]] == ["trends", "targets"]
    assert enablers["combine"] == results["combine"] == "mean"
    assert len(enablers["bands"]) == 6
    for dim in results["dimensions"]:
        assert [b["range"][0] for b in dim["bands"]] == [0, 11, 31, 51, 71, 91]


def test_eloge_has_12_principles_with_maturity_scale(eloge):
    assert [c["code"] for c in eloge["criteria"]] == [str(n) for n in range(1, 13)]
    assert [s["code"] for c in eloge["criteria"] for s in c["subcriteria"]] == [
        f"{n}.1" for n in range(1, 13)
    ]
    assert eloge["scoring_methods"] == ["maturity"]
    (panel,) = eloge["panels"]
    assert (panel["kind"], panel["min"], panel["max"], panel["step"]) == ("maturity", 0, 4, 1)
    assert [b["range"] for b in panel["bands"]] == [[n, n] for n in range(5)]
    titles = [c["title"]["en"] for c in eloge["criteria"]]
    assert titles[0] == "Democratic participation"
    assert titles[11] == "Openness to change and innovation"
