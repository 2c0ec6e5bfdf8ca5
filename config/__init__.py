"""Samverkansregistret: settings, URLs and the WSGI entry point."""

VERSION = "0.1.0"  # keep in step with pyproject.toml
