from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "grip.allocation"
    label = "allocation"

    def ready(self) -> None:
        # Allocations put children within reach: scope asks these (grip.access.reach); and they are
        # part of a child's journey (grip.cases.journey).
        from grip.access import reach
        from grip.allocation.journey import allocation_events
        from grip.allocation.reach import held, in_team_queue
        from grip.cases.journey import register_source

        reach.register(
            name="allocated to them, their team or their service area", owner=self.label, condition=held, first=True
        )
        reach.register(name="waiting in their team's queue", owner=self.label, condition=in_team_queue)
        register_source(kind="allocation", source=allocation_events)
