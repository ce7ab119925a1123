from django.apps import AppConfig
from django.db.backends.signals import connection_created


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give each SQLite connection the function the audit table's DELETE trigger asks whether
    erasing is allowed (see migration 0002). It answers from the connection, not the database, so
    a crash can never leave the log erasable."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        "grip_audit_erasure_allowed", 0, lambda: int(getattr(connection, "grip_audit_erasure_allowed", False))
    )


class AuditConfig(AppConfig):
    name = "grip.audit"
    label = "audit"

    def ready(self) -> None:
        connection_created.connect(register_sqlite_functions, dispatch_uid="grip.audit.sqlite_functions")
