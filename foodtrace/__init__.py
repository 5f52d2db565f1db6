"""foodtrace — farm-to-table traceability for meat and vegetables."""

__version__ = "0.1.0"
