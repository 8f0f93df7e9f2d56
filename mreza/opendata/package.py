"""How a release is written: CSV and JSON per dataset, the Frictionless Data "Data Package"
descriptor (datapackage.json) and the README. No database access here: `services.build_release`
reads the rows first and hands them over.

CSV choice: UTF-8 *with* a byte-order mark, comma-separated, CRLF line ends (RFC 4180), one
header row. The mark is what makes Excel — which many journalists open the files with — read
Cyrillic and č/ć/š/ž correctly; pandas, R and the frictionless tools skip it. Every cell passes
through `core.exports` (text that a spreadsheet would run as a formula gets a leading
apostrophe); the JSON files carry the values untouched. Empty cell = no value (null in JSON);
booleans are `true`/`false`; dates ISO 8601; times in UTC.
"""

import csv
import datetime
import hashlib
import io
import json

from django.utils import translation

from mreza.core import exports
from mreza.opendata.providers.base import BOOLEAN, plain

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
PACKAGE_NAME = "mreza-open-data"
BOM = "\ufeff"


def csv_path(name):
    return f"csv/{name}.csv"


def json_path(name):
    return f"json/{name}.json"


def _csv_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date):
        return plain(value)
    return str(value)


def csv_bytes(dataset, rows):
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(dataset.field_names)
    for row in rows:
        writer.writerow([_csv_text(value) for value in exports.row(list(row))])
    return buffer.getvalue().encode("utf-8")


def _json_value(value):
    """As in the CSV files, an empty text is no value (null)."""
    value = plain(value)
    if value == "":
        return None
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value


def json_bytes(dataset, rows):
    """A JSON array of objects, one per line (easy to read and to diff)."""
    names = dataset.field_names
    lines = [
        json.dumps(
            {name: _json_value(value) for name, value in zip(names, row, strict=True)},
            ensure_ascii=False,
        )
        for row in rows
    ]
    return ("[\n" + ",\n".join(lines) + ("\n" if lines else "") + "]\n").encode("utf-8")


def digest(data):
    return hashlib.sha256(data).hexdigest()


def _schema(dataset):
    fields = []
    for field in dataset.fields:
        entry = {"name": field.name, "type": field.type, "description": str(field.description)}
        if field.type == BOOLEAN:
            entry.update(trueValues=["true"], falseValues=["false"])
        fields.append(entry)
    return {"fields": fields, "missingValues": [""]}


def _resources(dataset, members):
    csv_member, json_member = members[csv_path(dataset.name)], members[json_path(dataset.name)]
    common = {"title": str(dataset.title), "description": str(dataset.description)}
    schema = _schema(dataset)
    return [
        {
            "name": dataset.name,
            "path": csv_path(dataset.name),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
            "bytes": csv_member["size"],
            "hash": f"sha256:{csv_member['sha256']}",
            **common,
            "schema": schema,
        },
        {
            "name": f"{dataset.name}-json",
            "path": json_path(dataset.name),
            "profile": "data-resource",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "bytes": json_member["size"],
            "hash": f"sha256:{json_member['sha256']}",
            **common,
            "schema": schema,
        },
    ]


def datapackage(datasets, members, generated_at, source_url):
    """The descriptor, in English (the descriptions are translatable for the page)."""
    with translation.override("en"):
        descriptor = {
            "profile": "data-package",
            "name": PACKAGE_NAME,
            "title": "Mreža open data",
            "description": (
                "Public figures of the Mreža platform: the municipal registry, assessment "
                "frameworks, learning profiles shared publicly, published networks and their "
                "progress, aggregates of citizen surveys with public results, and published "
                "self-evaluations with their recognitions."
            ),
            "version": generated_at.strftime("%Y.%m.%d"),
            "created": plain(generated_at),
            "licenses": [LICENCE],
            "sources": [{"title": "Mreža", "path": source_url}],
            "resources": [r for d in datasets for r in _resources(d, members)],
        }
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def readme(datasets, counts, generated_at, source_url):
    with translation.override("en"):
        lines = [
            "# Mreža open data",
            "",
            f"Release of {generated_at:%Y-%m-%d %H:%M} UTC, from {source_url}.",
            "",
            "## Licence",
            "",
            f"{LICENCE['title']} ({LICENCE['name']}): {LICENCE['path']}",
            "You may share and adapt the data for any purpose, also commercially, if you give "
            'appropriate credit: "Source: Mreža (' + source_url + '), CC BY 4.0".',
            "",
            "## Files",
            "",
            "Each dataset is here twice: `csv/<name>.csv` and `json/<name>.json`, the same rows.",
            "`datapackage.json` describes every column (Frictionless Data Data Package).",
            "",
        ]
        lines.extend(f"- `{d.name}` ({counts[d.name]} rows): {d.description}" for d in datasets)
        lines += [
            "",
            "## Reading the CSV files",
            "",
            "- UTF-8 with a byte-order mark (so Excel shows Cyrillic and diacritics), comma "
            "separated, one header row.",
            "- An empty cell means no value. Booleans are `true`/`false`; dates are ISO 8601 "
            "(YYYY-MM-DD), times UTC.",
            "- A text cell that a spreadsheet would run as a formula (starting with =, +, - or @) "
            "has a leading apostrophe in the CSV files; the JSON files have the text as written.",
            "- Names are as officially written, in their own script; `name_latin` gives the "
            "Latin form.",
            "",
            "## What is not here",
            "",
            "Only what the public pages of Mreža show: nothing about people, no assessor's "
            "scores, no learning profile that was not made public, no unpublished network or "
            "evaluation. Survey figures are aggregates of closed waves of surveys whose results "
            "are public; a question answered fewer than 5 times is withheld, free-text answers "
            "and single responses are never included.",
            "",
        ]
    return "\n".join(lines).encode("utf-8")
