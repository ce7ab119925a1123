from django.contrib import admin

from grip.frontdoor.models import Contact


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["reference", "child", "received_at", "source", "outcome", "decided_at"]
    list_filter = ["outcome", "route"]
    search_fields = ["reference", "child__la_child_id", "child__last_name"]
    raw_id_fields = ["child", "decided_by"]
