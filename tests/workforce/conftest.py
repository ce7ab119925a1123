from tests.allocation.conftest import service  # noqa: F401 - the allocation tests' small service area
