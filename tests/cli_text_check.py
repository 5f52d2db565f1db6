"""What may stand in a Chinese text of the command line besides Chinese: option names, placeholders and codes
(upper case), values the user types (the choices of the CLI's options), addresses, file names and types, and
product names. ``english_words(text)`` is what is left: it must be empty."""

from __future__ import annotations

import re

import click

PRODUCTS_AND_TYPES = {"foodtrace", "Neo4j", "EPCIS", "SQLite", "Excel", "CSV", "JSON", "JSON-LD", "LD", "PDF", "Word",
                      "Markdown", "HTML", "FSMA", "ISO", "UTF", "GBK", "GS1", "UUID", "A4", "docx", "pdf", "html",
                      "json", "md", "zh", "en", "python", "x", "k_"}
_STRIP = [r"\{[^}]*\}", r"\[[^\]]*\]", r"'[^']*'", r"\w+://\S*", r"(?<![\w.])/[\w/.-]+", r"(?<![\w-])--?[A-Za-z][\w-]*",
          r"[\w./-]*\.(?:xlsx|csv|jsonld|jsonl|json|png|svg|html|db)\b", r"\b[A-Z][A-Z0-9_]*\b", r"%[A-Za-z]",
          r"\bpython -m foodtrace\b"]


def choices_of(command: click.Command) -> set[str]:
    """Every command's name and every value of every choice of the command tree (codes the user types)."""
    found = {str(c) for p in command.params if isinstance(p.type, click.Choice) for c in p.type.choices}
    found |= set(getattr(command, "commands", {}))
    for sub in getattr(command, "commands", {}).values():
        found |= choices_of(sub)
    return found


def english_words(text: str, allowed: set[str]) -> list[str]:
    for pattern in _STRIP:
        text = re.sub(pattern, " ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9]", text)
            if w not in allowed and w not in PRODUCTS_AND_TYPES]
