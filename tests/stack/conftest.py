"""Tests that start their own app on PostgreSQL + Redis.

They run in a pytest process of their own, after tests/e2e: two apps built from one project
folder share `.web`, so the later build would point the earlier app's pages at itself.
"""

from tests.e2e.conftest import browser_type_launch_args  # noqa: F401  (Debian's Chromium)
from tests.e2e.conftest import new_page, page  # noqa: F401  (pages that fail a test on any client error)
