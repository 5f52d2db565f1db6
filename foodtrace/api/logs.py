"""Log output of a served app: readable text (default) or one JSON object a
line (``FOODTRACE_LOG_FORMAT=json``). Set up by ``foodtrace serve`` and the
worker factory — never at import.

The request log line (one per request, ``observe.Recorder``) is the one written
most: when the handler set up here is the only place it would go, ``write_line``
writes it as that handler would, without building a ``LogRecord``."""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import datetime, timezone

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class TextFormatter(logging.Formatter):
    """``TEXT_FORMAT``; its ``line`` gives the same text from the parts of a record."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)
        self._second, self._stamp = -1, ""

    def line(self, created: float, level: str, name: str, message: str, fields: dict) -> str:
        second = int(created)
        if second != self._second:  # the local date and time, formatted once a second
            self._stamp, self._second = time.strftime(self.default_time_format, self.converter(second)), second
        return f"{self._stamp},{int((created - second) * 1000):03d} {level} {name}: {message}"


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, the request fields (``extra={"fields": {...}}``), the exception."""

    def format(self, record: logging.LogRecord) -> str:
        out = self._object(record.created, record.levelname, record.name, record.getMessage(),
                           getattr(record, "fields", None))
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)

    @staticmethod
    def _object(created: float, level: str, name: str, message: str, fields: dict | None) -> dict:
        out = {"time": datetime.fromtimestamp(created, timezone.utc).isoformat(timespec="milliseconds"),
               "level": level.lower(), "logger": name, "message": message}
        out.update(fields or {})
        return out

    def line(self, created: float, level: str, name: str, message: str, fields: dict) -> str:
        return json.dumps(self._object(created, level, name, message, fields), ensure_ascii=False)


def configure_logging(fmt: str = "text", level: int = logging.INFO) -> None:
    """Send foodtrace's logs (one line per request among them) to stderr in ``fmt``. Idempotent."""
    logger = logging.getLogger("foodtrace")
    for h in [h for h in logger.handlers if getattr(h, "_foodtrace", False)]:
        logger.removeHandler(h)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler._foodtrace = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def _only_handler(logger: logging.Logger, level: int) -> logging.StreamHandler | None:
    """The handler ``configure_logging`` set up when a record of ``logger`` at ``level`` would go to it alone,
    through no filter; else None."""
    parent = logger.parent
    if logger.handlers or logger.filters or logger.disabled or not logger.propagate or parent is None:
        return None
    handlers = parent.handlers
    if len(handlers) != 1 or parent.filters or parent.propagate or parent.disabled or parent.name != "foodtrace":
        return None
    h = handlers[0]
    if not getattr(h, "_foodtrace", False) or h.filters or level < h.level or not hasattr(h.formatter, "line"):
        return None
    return h  # type: ignore[return-value]


def write_line(logger: logging.Logger, level: int, message: str, fields: dict) -> bool:
    """Write ``message`` (and ``fields``) as the configured handler would format and write its record, when
    that handler is where the record would go alone; False when the caller must log it as usual (the
    level is checked by the caller)."""
    h = _only_handler(logger, level)
    if h is None:
        return False
    line = h.formatter.line  # type: ignore[union-attr]
    text = line(time.time(), logging.getLevelName(level), logger.name, message, fields)
    try:
        h.acquire()
        try:
            h.stream.write(text + h.terminator)
            h.flush()
        finally:
            h.release()
    except Exception:  # noqa: BLE001 — the caller logs it the usual way, whose handler reports a failure
        return False
    return True
