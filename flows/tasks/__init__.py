"""Thin Prefect tasks: each wraps one step of the pipeline; the logic lives elsewhere."""
