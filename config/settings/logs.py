"""Django's LOGGING: errors and security events as JSON lines on stdout, through structlog's
formatter (docs/operations.md). Not a settings module itself: base.py calls ``logging_config``.
The events themselves are written by grip/core/security_log.py."""

import structlog

TIMESTAMPED = [
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def logging_config(level: str = "INFO") -> dict:
    """Django's LOGGING: everything through one JSON formatter to stdout."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    structlog.processors.JSONRenderer(sort_keys=True),
                ],
                "foreign_pre_chain": [*TIMESTAMPED, structlog.stdlib.ExtraAdder()],
            }
        },
        "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
        "root": {"handlers": ["stdout"], "level": "WARNING"},
        "loggers": {
            # Django's own default sends "django" to a plain console handler and on to the root as
            # well, so each warning printed twice in development: one JSON line instead.
            "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            # Server errors (500s) with their tracebacks; 4xx are the security events below instead.
            "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
            "django.security": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            "grip.security": {"handlers": ["stdout"], "level": level, "propagate": False},
        },
    }
