"""The request log line written without a LogRecord (``api.logs.write_line``) is the line the configured
handler would write for the record, in both formats, and is written only where that handler alone
would get the record."""

from __future__ import annotations

import io
import json
import logging

import pytest

from foodtrace.api.logs import JsonFormatter, TextFormatter, write_line

FIELDS = {"request_id": "scan-0000001", "method": "GET", "route": "/l/{code:path}", "status": 200,
          "duration_ms": 0.2, "principal": "-", "client": "203.0.113.0/24"}
MESSAGE = "GET /l/{code:path} 200 0.2ms id=scan-0000001 principal=- client=203.0.113.0/24 追溯"


@pytest.mark.parametrize("formatter", [TextFormatter(), JsonFormatter()], ids=["text", "json"])
@pytest.mark.parametrize("created", [1796050000.0, 1796050000.999, 1796050001.0405])
def test_a_line_is_the_formatted_record(formatter, created):
    record = logging.getLogger("foodtrace.request").makeRecord(
        "foodtrace.request", logging.INFO, __file__, 0, "%s", (MESSAGE,), None, extra={"fields": FIELDS})
    record.created, record.msecs = created, int((created - int(created)) * 1000) + 0.0
    assert formatter.line(created, "INFO", "foodtrace.request", MESSAGE, FIELDS) == formatter.format(record)


@pytest.fixture
def configured(served_logs):
    """configure_logging's handler, writing to a buffer (the shared ``served_logs``)."""
    return served_logs[1]


def test_written_directly_only_where_the_configured_handler_alone_would_write(configured):
    logging.getLogger("foodtrace").handlers[:] = [configured]  # as when served (pytest adds its own here)
    log = logging.getLogger("foodtrace.request")
    assert write_line(log, logging.INFO, MESSAGE, FIELDS)
    line = json.loads(configured.stream.getvalue())
    assert line["message"] == MESSAGE and line["request_id"] == "scan-0000001" and line["level"] == "info"
    seen = []
    f = logging.Filter()
    f.filter = lambda record: seen.append(record) or True  # a filter must see every record
    log.addFilter(f)
    try:
        assert not write_line(log, logging.INFO, MESSAGE, FIELDS)
    finally:
        log.removeFilter(f)
    extra = logging.StreamHandler(io.StringIO())
    logging.getLogger("foodtrace").addHandler(extra)  # a second place to go: the record goes the usual way
    try:
        assert not write_line(log, logging.INFO, MESSAGE, FIELDS)
    finally:
        logging.getLogger("foodtrace").removeHandler(extra)
    configured.setLevel(logging.WARNING)
    assert not write_line(log, logging.INFO, MESSAGE, FIELDS)
