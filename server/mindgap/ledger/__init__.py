"""The developer's local store: one SQLite file (schema, migrations) and its event ledger."""
