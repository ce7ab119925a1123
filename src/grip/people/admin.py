from django.contrib import admin

from grip.people.models import Person, Relationship


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "la_child_id", "date_of_birth", "sex", "postcode"]
    search_fields = ["la_child_id", "upn", "nhs_number", "last_name", "first_name"]
    list_filter = ["sex"]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["person", "relationship_type", "relative"]
    raw_id_fields = ["person", "relative"]
