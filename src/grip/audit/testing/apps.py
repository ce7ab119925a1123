from django.apps import AppConfig


class AuditTestingConfig(AppConfig):
    name = "grip.audit.testing"
    label = "audit_testing"
    verbose_name = "Audit log: test and development tools"
