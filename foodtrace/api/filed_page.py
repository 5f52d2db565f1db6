"""A kept view's consumer page as the store's file keeps it beside the view (``foodtrace db views`` and the
server's filler: ``routes/pages.py``, ``file_page``; served by ``kept_page_of``): made and read here, where the
page's template is. The services keep these bytes as they are (``consumer.ReadyView.page``: an opaque blob in
the view's row, under the row's CRC-32), never inflating them.

The bytes: one raw deflate stream (no zlib header or Adler-32: the row's CRC-32 already covers these bytes,
and zlib's format would sum the 15 KB dictionary again at every inflate — a third of a first scan's instructions)
of ``lang \\x1f tz \\x1f code \\x1f html`` compressed with ``page_zdict``, a preset dictionary of what every page repeats — the pages' texts and the vocabulary's labels in both languages, then
the page's template (its style sheet and markup). A page takes ~600 bytes with it, ~840 with the template
alone, ~2,300 with none (the first 500 pages of a 100k store). The dictionary is part of the build: the build
of kept views (``consumer.persisted``) hashes the package's files, this template with them.
"""

from __future__ import annotations

from pathlib import Path
import zlib

from foodtrace.i18n.pages import PAGES_TEXT
from foodtrace.model.registry import ALL_LABELS as LABELS

TEMPLATES = Path(__file__).resolve().parent / "templates"  # the API's templates (``routes/pages.py``)
_SEP = b"\x1f"
_RAW = -15  # raw deflate, a 32 KB window
_ZDICT: list[bytes] = []


def page_zdict() -> bytes:
    """The preset dictionary of a kept page (made once a process, when first asked)."""
    if not _ZDICT:
        texts = "".join(zh + en for zh, en in (*PAGES_TEXT.values(), *LABELS.values()))
        _ZDICT.append((texts.encode() + (TEMPLATES / "consumer.html").read_bytes())[-32768:])
    return _ZDICT[0]


def packed(lang: str, tz: str, code: str, html: bytes) -> bytes:
    """The page of lot ``code`` in ``lang`` and zone ``tz`` (its form's token left open) as the file keeps it."""
    z = zlib.compressobj(6, zlib.DEFLATED, _RAW, zdict=page_zdict())
    return z.compress(f"{lang}\x1f{tz}\x1f{code}\x1f".encode()) + z.compress(html) + z.flush()


def unpacked(blob: bytes, lang: str, tz: str) -> tuple[str, bytes] | None:
    """``(code, html)`` of a kept page if it was kept for ``lang`` and ``tz``, else None (only its start is
    inflated to tell); raises ``zlib.error`` when the stream is damaged or cut short (``ValueError`` when its
    code is not UTF-8)."""
    head = f"{lang}\x1f{tz}\x1f".encode()
    z = zlib.decompressobj(_RAW, zdict=page_zdict())
    if z.decompress(blob, len(head)) != head:
        return None
    rest = z.decompress(z.unconsumed_tail) + z.flush()
    code, sep, html = rest.partition(_SEP)
    if not z.eof or z.unused_data or not sep or not code:
        raise zlib.error("a kept page is damaged")
    return code.decode(), html


__all__ = ["TEMPLATES", "packed", "page_zdict", "unpacked"]
