"""Use cases, one package per area:

- ``capture``: the write door of the HTTP API and the access model (who may do what);
- ``tracing``: backward and forward traces, the consumer view, identifiers, as-of, the
  trace graph, lot reads and QR labels;
- ``safety``: food-safety rules and the entry gate, the receiving desk, recall, exposure,
  investigation and complaints;
- ``supervision``: inspections, campaigns, cases, outreach, risk ranking;
- ``report``: the district statistics (figures only);
- ``admin``: parties, API keys, the audit trail, copying a store.
"""
