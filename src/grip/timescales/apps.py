from django.apps import AppConfig
from django.core import checks


class TimescalesConfig(AppConfig):
    name = "grip.timescales"
    label = "timescales"
    verbose_name = "Timescales"

    def ready(self) -> None:
        checks.register(check_rules_file, checks.Tags.models)


def check_rules_file(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """`manage.py check` (and every server start) loads the rules file, so a bad edit is caught
    before any deadline is computed from it."""
    from grip.timescales.rules import RULES_FILE, RulesFileError, load_rules

    try:
        load_rules(RULES_FILE)
    except RulesFileError as error:
        return [checks.Error(str(error), id="timescales.E001")]
    from grip.timescales.pauses import ABSENCE_FILE, load_long_term_absence

    try:
        load_long_term_absence(ABSENCE_FILE)  # what pauses supervision: a bad edit fails here too
    except RulesFileError as error:
        return [checks.Error(str(error), id="timescales.E002")]
    return []
