-- Grip's two PostgreSQL roles (docs/security.md, "The PostgreSQL roles"). Run once, as a superuser:
--
--   psql -v ON_ERROR_STOP=1 -v owner_role=grip_owner -v app_role=grip_app -v database=grip \
--        -f scripts/postgres-roles.sql
--
-- then give both a password (\password grip_owner, \password grip_app), run the migrations as the
-- owner and grant the application its privileges:
--
--   DATABASE_URL=postgres://grip_owner:...@db/grip grip migrate
--   psql -v ON_ERROR_STOP=1 -v owner_role=grip_owner -v app_role=grip_app -d grip -f scripts/postgres-privileges.sql
--
-- The owner owns the schema and every table, and runs migrations only. The application (web
-- server, workers, cron) connects as the app role, which may read and append to the audit log but
-- never change, delete or empty it, and cannot alter or drop its triggers (only an owner may).
CREATE ROLE :"owner_role" LOGIN;
CREATE ROLE :"app_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE DATABASE :"database" OWNER :"owner_role";
\connect :"database"
ALTER SCHEMA public OWNER TO :"owner_role";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
