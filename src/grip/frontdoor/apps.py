from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "grip.frontdoor"
    label = "frontdoor"

    def ready(self) -> None:
        # Contacts are part of a child's journey (grip.cases.journey) and make their stage "contact"
        # when nothing came after (grip.cases.selectors.stage_annotations).
        from grip.cases.journey import register_source
        from grip.cases.selectors import register_last_contact
        from grip.frontdoor.journey import contact_events, last_contact

        register_source(kind="contact", source=contact_events)
        register_last_contact(last_contact)
