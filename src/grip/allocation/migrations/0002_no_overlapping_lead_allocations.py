"""No two lead allocations of one child may overlap in time.

Allocations run from started_on up to (not including) ended_on; an open one runs on for ever.
PostgreSQL enforces this with an exclusion constraint over date ranges; SQLite has no such
constraint, so triggers refuse an insert or update that would overlap.
"""

from django.db import migrations

PG_CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE allocation_allocation ADD CONSTRAINT allocation_no_overlapping_lead
  EXCLUDE USING gist (child_id WITH =, daterange(started_on, ended_on, '[)') WITH &&)
  WHERE (role = 'lead');
"""
PG_DROP = "ALTER TABLE allocation_allocation DROP CONSTRAINT allocation_no_overlapping_lead;"

OVERLAP = """
  WHEN NEW.role = 'lead' AND EXISTS (
    SELECT 1 FROM allocation_allocation a
    WHERE a.child_id = NEW.child_id AND a.role = 'lead' AND a.id <> NEW.id
      AND a.started_on < COALESCE(NEW.ended_on, '9999-12-31')
      AND NEW.started_on < COALESCE(a.ended_on, '9999-12-31')
      AND a.started_on < COALESCE(a.ended_on, '9999-12-31')
      AND NEW.started_on < COALESCE(NEW.ended_on, '9999-12-31'))
  BEGIN
    SELECT RAISE(ABORT, 'allocation_no_overlapping_lead: this child already has a lead worker for part of that time');
  END;
"""
SQLITE_CREATE = [
    "CREATE TRIGGER allocation_no_overlapping_lead_insert BEFORE INSERT ON allocation_allocation" + OVERLAP,
    "CREATE TRIGGER allocation_no_overlapping_lead_update BEFORE UPDATE ON allocation_allocation" + OVERLAP,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS allocation_no_overlapping_lead_insert;",
    "DROP TRIGGER IF EXISTS allocation_no_overlapping_lead_update;",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("allocation", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
