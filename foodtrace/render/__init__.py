"""Presentation for people: text trees (``text``), the console graph's node texts (``trace_view``),
printable labels (``labels``), rules and supervision answers as text (``rules``,
``supervision``) and the district report's layout, charts and documents (``report``).
Called by ``api`` and ``cli`` only; never by services."""
