"""The demo district: a deterministic synthetic district-year (``district``), its supervision
records (``supervision``) and loading it into a store (``load``). Not a service."""
