-- What Grip's application role may do (docs/security.md, "The PostgreSQL roles"). Run as a superuser
-- or the owner, in Grip's database, after `grip migrate` (as the owner); safe to run again:
--
--   psql -v ON_ERROR_STOP=1 -v owner_role=grip_owner -v app_role=grip_app -d grip -f scripts/postgres-privileges.sql
--
-- Every table: read and write rows (tables created by later migrations too, by default privileges).
GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
  GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app_role";
-- The audit log: read and append only. (Audit migration 0003 also strips these from every role but
-- the owner, whatever default privileges gave them.) Setting grip.audit_erasure_allowed gets the
-- app role nothing: TRUNCATE needs the privilege below, and the trigger honours it only for the owner.
REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_auditentry FROM :"app_role";
REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_auditentry FROM PUBLIC;
GRANT SELECT, INSERT ON audit_auditentry TO :"app_role";
