from django.db import models

from grip.core.formatting import long_date


class LocalClosureDay(models.Model):
    """A day the authority treats as non-working beyond the bank holidays (e.g. a Christmas closure)."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{long_date(self.date)}: {self.reason}"
