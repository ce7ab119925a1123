"""The keyed chain (docs/adr/0008-audit-log.md, docs/security.md): each entry records which key
signed it. Nothing pre-release is kept, so existing rows get an empty key id (they fail to verify).

SQLite rebuilds the table to add a NOT NULL column, dropping 0002's triggers with the old table:
they are created again here. PostgreSQL: TRUNCATE's bypass (grip.audit_erasure_allowed) now
counts only for the table's owner, and no other role keeps UPDATE, DELETE or TRUNCATE on the log
whatever default privileges gave it (scripts/postgres-privileges.sql sets the rest).
"""

import importlib

from django.db import migrations, models

append_only = importlib.import_module("grip.audit.migrations.0002_audit_entries_append_only")

PG_OWNER_ONLY_BYPASS = """
CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('grip.audit_erasure_allowed', true), '') <> 'on'
     OR NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
    RAISE EXCEPTION 'audit_append_only: the audit log cannot be truncated'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NULL;
END;
$$;
DO $$
DECLARE grantee_oid oid;
BEGIN
  FOR grantee_oid IN
    SELECT DISTINCT acl.grantee FROM pg_class c, aclexplode(c.relacl) acl
    WHERE c.oid = 'audit_auditentry'::regclass AND acl.grantee <> c.relowner
      AND acl.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES')
  LOOP
    EXECUTE format(
      'REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_auditentry FROM %s',
      CASE WHEN grantee_oid = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(grantee_oid)) END
    );
  END LOOP;
END;
$$;
"""
PG_ANY_BYPASS = """
CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('grip.audit_erasure_allowed', true), '') <> 'on' THEN
    RAISE EXCEPTION 'audit_append_only: the audit log cannot be truncated'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NULL;
END;
$$;
"""


def protect(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_OWNER_ONLY_BYPASS, params=None)
    elif vendor == "sqlite":
        for statement in append_only.SQLITE_DROP + append_only.SQLITE_CREATE:
            schema_editor.execute(statement)


def unprotect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_ANY_BYPASS, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_audit_entries_append_only")]
    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(default="", help_text="Which of GRIP_AUDIT_KEYS signed the entry.", max_length=32),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(help_text="HMAC-SHA256 signature (grip.audit.chain).", max_length=64, unique=True),
        ),
        migrations.RunPython(protect, unprotect),
    ]
