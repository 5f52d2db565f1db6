"""Writes as the HTTP API takes them (``submit``: events and EPCIS documents) and the access
model (``access``: which principal may do what on which lot or party)."""
