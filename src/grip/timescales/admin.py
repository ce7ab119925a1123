"""Local timescale settings in the Django admin, with their history (django-simple-history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from grip.timescales.models import TimescaleSetting


@admin.register(TimescaleSetting)
class TimescaleSettingAdmin(SimpleHistoryAdmin):
    list_display = ["rule", "amount", "unit", "enabled", "changed_at"]
    list_filter = ["enabled"]
    search_fields = ["rule"]
    readonly_fields = ["changed_at"]
