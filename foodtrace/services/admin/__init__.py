"""Administration: parties (``parties``), API keys (``keys``), the audit trail of who captured
what (``audit``) and copying one store's log into another (``copying``)."""
