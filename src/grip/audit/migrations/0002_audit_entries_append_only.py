"""The database refuses to change or delete audit entries, whoever asks (not only the ORM).

PostgreSQL: a row trigger raises on UPDATE and DELETE; a statement trigger raises on TRUNCATE
unless the session set grip.audit_erasure_allowed (only `grip flush` does: it empties every table).
SQLite: BEFORE UPDATE / DELETE triggers RAISE(ABORT); DELETE is let through only while the
connection's grip_audit_erasure_allowed() function says so (registered by grip.audit.apps, set only
by `grip flush`, which on SQLite empties tables with DELETE). A connection without that function
(the sqlite3 shell, say) cannot delete at all.

Both raise an integrity error (SQLSTATE 23001 / SQLITE_CONSTRAINT), so callers see IntegrityError
on either database.

NB SQLite: a later migration that alters audit_auditentry rebuilds the table and drops these
triggers with the old one; such a migration must create them again (test_append_only catches it).
"""

from django.db import migrations

PG_CREATE = """
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_append_only: audit entries cannot be changed or deleted (% refused)', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE FUNCTION audit_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('grip.audit_erasure_allowed', true), '') <> 'on' THEN
    RAISE EXCEPTION 'audit_append_only: the audit log cannot be truncated'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditentry
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_refuse_truncate();
DROP FUNCTION IF EXISTS audit_refuse_change();
"""

SQLITE_CREATE = [
    """CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit_auditentry
  BEGIN
    SELECT RAISE(ABORT, 'audit_append_only: audit entries cannot be changed');
  END;""",
    """CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit_auditentry
  WHEN grip_audit_erasure_allowed() IS NOT 1
  BEGIN
    SELECT RAISE(ABORT, 'audit_append_only: audit entries cannot be deleted');
  END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_append_only_update;",
    "DROP TRIGGER IF EXISTS audit_append_only_delete;",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)  # the SQL holds "%" of its own
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
