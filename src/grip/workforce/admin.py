from django.contrib import admin

from grip.workforce.models import Absence, ServiceArea, Supervision, Team, Worker


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "service_area", "function", "establishment_fte"]
    list_filter = ["function", "service_area"]


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ["full_name", "role", "employment_type", "fte", "team", "started_on", "left_on"]
    list_filter = ["role", "employment_type", "team__service_area"]
    search_fields = ["last_name", "first_name"]
    raw_id_fields = ["user", "manager"]


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["worker", "absence_type", "started_on", "ended_on"]
    list_filter = ["absence_type"]
    raw_id_fields = ["worker"]


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    list_display = ["worker", "held_on", "supervisor"]
    search_fields = ["worker__last_name", "worker__first_name"]
    raw_id_fields = ["worker", "supervisor"]
