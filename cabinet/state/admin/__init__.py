"""States of the admin pages, one module per page; every event asks operator.py who is acting first."""
