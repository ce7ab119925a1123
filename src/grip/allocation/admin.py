from django.contrib import admin

from grip.allocation.models import Allocation


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["child", "worker", "team", "role", "started_on", "ended_on"]
    list_filter = ["role", "team__service_area"]
    raw_id_fields = ["child", "worker", "team"]
