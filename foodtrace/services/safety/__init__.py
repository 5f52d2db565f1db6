"""Food safety: the rules and their facts (``rules``: findings, anomalies, the market-entry
gate), the receiving desk (``receiving``), recall (``recall``) and who holds what of it
(``exposure``), cause investigation (``investigate``), consumer complaints (``complaints``) and
the office's actions as the HTTP API serves them, checked against the caller (``office``)."""
