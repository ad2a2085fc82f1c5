"""Paperless council meetings: core domain, rules, store, session state machine."""

__version__ = "0.1.0"
