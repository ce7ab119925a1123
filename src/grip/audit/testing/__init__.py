"""What only test and development settings install: a `grip flush` that may empty the audit log.

Production settings never list this app, so there `grip flush` is Django's own, and the audit
log's triggers (and, on PostgreSQL, the application role's privileges) refuse to empty the log.
"""
