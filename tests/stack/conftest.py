"""Tests that start their own app on PostgreSQL + Redis.

They run in a pytest process of their own, after tests/e2e: two apps built from one project
folder share `.web`, so the later build would point the earlier app's pages at itself.
"""

# Debian's Chromium, and pages that fail a test on any client error.
from tests.e2e.conftest import browser_type_launch_args, new_page, page  # noqa: F401
