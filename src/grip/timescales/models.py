"""The authority's own settings for the local timescale rules (the rules themselves are a file)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from grip.timescales.rules import UNITS, RulesFileError, check_setting

SETTING_UNITS = [unit for unit in UNITS if unit != "hours"]  # local rules are not in hours


class TimescaleSetting(models.Model):
    """The authority's interval for one local rule of reference/timescales/rules.toml (a rule with
    `local = true`), or that rule switched off. The engine reads these over the file's defaults;
    rows for national rules are refused here and ignored by the engine. Changes are kept in the
    history, with who made them."""

    rule = models.CharField(max_length=60, unique=True, help_text="The rule's key in the timescale rules file.")
    amount = models.PositiveIntegerField()
    unit = models.CharField(max_length=16, choices=[(unit, unit.replace("_", " ")) for unit in SETTING_UNITS])
    enabled = models.BooleanField(default=True, help_text="Untick to switch this local rule off.")
    changed_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["rule"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="timescales_setting_amount_positive",
                violation_error_message="The amount must be above 0.",
            ),
            models.CheckConstraint(
                condition=models.Q(unit__in=SETTING_UNITS),
                name="timescales_setting_unit_known",
                violation_error_message="Choose working days, calendar days, weeks or months.",
            ),
        ]

    def __str__(self) -> str:
        state = f"{self.amount} {self.get_unit_display()}" if self.enabled else "switched off"
        return f"{self.rule}: {state}"

    def clean(self) -> None:
        try:
            check_setting(rule_key=self.rule, amount=self.amount or 0, unit=self.unit)
        except RulesFileError as error:
            raise ValidationError({"rule": str(error)}) from None
