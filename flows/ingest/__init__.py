"""Ingestion: turning files dropped in the inbox into text the parser can read.

`flows.ingest.readers` holds the per-format readers (pure functions, no Prefect or
DuckDB); a file they cannot read safely raises `QuarantineError` with a reason code.
"""
