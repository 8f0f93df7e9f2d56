"""Search index on the folded key: pg_trgm GIN on PostgreSQL, FTS5 trigram on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    from mreza.registry.search_index import ensure_index

    # on SQLite this also fills the new index with the rows that exist already
    ensure_index(schema_editor.connection)


def backwards(apps, schema_editor):
    from mreza.registry.search_index import drop_index

    drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    atomic = False  # CREATE EXTENSION / virtual tables outside the migration's transaction

    dependencies = [("registry", "0003_directory_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
