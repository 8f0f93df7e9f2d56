"""Full-text index of the library (see search.py): a GIN index on
to_tsvector('simple', search_document) on PostgreSQL, an FTS5 table kept by triggers on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    from mreza.practices.search import ensure_index

    # on SQLite this also fills the new index with the rows that exist already
    ensure_index(schema_editor.connection)


def backwards(apps, schema_editor):
    from mreza.practices.search import drop_index

    drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    atomic = False  # the FTS5 virtual table outside the migration's transaction

    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
