"""Runnable demos of gradiente: `python -m demos`."""
