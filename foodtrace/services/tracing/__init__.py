"""Where a lot came from and where it went: backward/forward traces (``trace``), the consumer's
public view (``consumer``), code resolution (``identifiers``), traces as of a past time
(``asof``), the inspector's trace graph (``graph``), key-checked lot reads (``lot_reads``) and QR
codes and labels (``qr``), and the search index's upkeep (``search_index``)."""
