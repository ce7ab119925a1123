from django.contrib import admin

from grip.core.models import LocalClosureDay


@admin.register(LocalClosureDay)
class LocalClosureDayAdmin(admin.ModelAdmin):
    list_display = ["date", "reason"]
