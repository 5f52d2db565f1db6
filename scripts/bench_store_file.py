"""What the benches run on an embedded store's file share (``bench_kept_views.py``, ``bench_first_scans.py``):
their command line's start (the file, a seed; the first line of the bench's docstring as its description) and
the file's retail receipts — the codes shoppers scan."""

from __future__ import annotations

import argparse
import sqlite3

RECEIPTS = "SELECT l.code FROM lots l JOIN events e ON e.event_id = l.created_by WHERE e.type = 'retail_sale'"


def store_file_parser(doc: str, db_help: str, seed: int) -> argparse.ArgumentParser:
    """A bench's parser with the store's file (``db``, described by ``db_help``) and ``--seed`` (default ``seed``)."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("db", help=db_help)
    ap.add_argument("--seed", type=int, default=seed)
    return ap


def receipts(con: sqlite3.Connection) -> list[str]:
    """The codes of the retail receipts' lots, in the order SQLite reads them."""
    return [c for (c,) in con.execute(RECEIPTS)]
