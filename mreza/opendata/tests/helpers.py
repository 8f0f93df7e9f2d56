"""Reading a release back as a researcher would: the ZIP, its CSV (typed by the dictionary) and
its JSON."""

import csv
import io
import json
import zipfile

from mreza.core import exports
from mreza.opendata.models import OpenDataRelease


def archive(release: OpenDataRelease) -> zipfile.ZipFile:
    with release.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def descriptor(zipped):
    return json.loads(zipped.read("datapackage.json"))


def _typed(value, kind):
    if value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return {"true": True, "false": False}[value]
    return exports.unneutralise(value)


def csv_rows(zipped, name):
    """(header, rows as dicts typed by the dictionary) of csv/<name>.csv."""
    raw = zipped.read(f"csv/{name}.csv")
    assert raw.startswith("\ufeff".encode()), "the CSV files start with a byte-order mark"
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    header, *rows = list(reader)
    types = {
        f["name"]: f["type"]
        for r in descriptor(zipped)["resources"]
        if r["name"] == name
        for f in r["schema"]["fields"]
    }
    typed = [{k: _typed(v, types[k]) for k, v in zip(header, row, strict=True)} for row in rows]
    return header, typed


def raw_csv(zipped, name):
    return zipped.read(f"csv/{name}.csv").decode("utf-8-sig")


def json_rows(zipped, name):
    return json.loads(zipped.read(f"json/{name}.json"))
