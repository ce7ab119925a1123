from grip.allocation.tests.conftest import service  # noqa: F401 - the allocation tests' small service area
