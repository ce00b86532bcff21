"""A provider's registry (accounts, debts, meters) from a semicolon-separated CSV: preview, then upsert.

The format is declared in columns.py, shown to staff at /admin/registry/format (docs/registry-format.md
explains the design). A preview writes nothing and lists every row error with its line and column; an
import applies the whole file in one transaction, or nothing.
Accounts and meters missing from the file stay as they are; importing a file twice changes nothing.

Registries run to a million rows, so memory must not grow with the file. The file is read from disk
as a stream, twice: once in slices to detect its encoding, once to parse it row by row. Each valid
row goes straight into a temporary staging table (COPY on PostgreSQL, batched inserts on SQLite).
What spans rows — an account's rows agree, a meter appears once — the comparison with the database
and the writes are then set-based SQL over the staging tables, which are dropped before returning.
Python keeps only the row errors.

The steps, in the order a file meets them: rows.py reads it (cells.py reads each row's values, into
staging.py's tables), planning.py compares it with the database (the preview), writing.py writes it
(the import). columns.py names the file's columns, results.py what comes back.
"""

from cabinet.services.registry.columns import COLUMNS, REQUIRED
from cabinet.services.registry.planning import preview_registry, size_limit
from cabinet.services.registry.results import MAX_REPORTED_ERRORS, Progress, RegistryPreview, RegistrySource, RowError
from cabinet.services.registry.writing import import_registry

__all__ = [
    "COLUMNS",
    "MAX_REPORTED_ERRORS",
    "REQUIRED",
    "Progress",
    "RegistryPreview",
    "RegistrySource",
    "RowError",
    "import_registry",
    "preview_registry",
    "size_limit",
]
