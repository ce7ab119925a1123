from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "grip.allocation"
    label = "allocation"

    def ready(self) -> None:
        # Allocations and transfers put children within reach: scope asks these (grip.access.reach).
        from grip.access import reach
        from grip.allocation.reach import held, in_team_queue

        reach.register(
            name="allocated to them, their team or their service area", owner=self.label, condition=held, first=True
        )
        reach.register(name="waiting in their team's queue", owner=self.label, condition=in_team_queue)
