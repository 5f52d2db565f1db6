"""Text rendering of the office's publicity, interview, sampling and incident records for the
terminal, in Chinese or English."""

from __future__ import annotations

from foodtrace.i18n import label, t
from foodtrace.services.supervision.office_records import OfficeRecordView

_FIGURES = {"materials": "fig_publicity_materials", "media_posts": "fig_media_posts", "people": "people_reached",
            "people_affected": "people_affected"}


def render_office_record(r: OfficeRecordView, lang: str = "zh") -> str:
    head = [r.record_id, r.time.date().isoformat(), label(r.kind, lang)]
    if r.program:
        head.append(label(r.program, lang))
    if r.subject:
        head.append(f"{r.subject_name} [{r.subject}]" if r.subject_name else r.subject)
    head.append(r.what)
    if r.kind == "sampling":
        head.append(label(r.result, lang) if r.result else t("result_pending", lang))
    out = [" · ".join(head)]
    figures = [f"{t(_FIGURES[k], lang)} {v:,}" for k, v in r.figures.items() if k in _FIGURES]
    if figures:
        out.append("    " + " · ".join(figures))
    if r.lots:
        out.append(f"    {t('lot', lang)}: {', '.join(r.lots)}")
    return "\n".join(out)


def render_office_records(items: list[OfficeRecordView], lang: str = "zh") -> str:
    return "\n".join([f"{t('office_records_title', lang)} ({len(items)})"]
                     + [render_office_record(r, lang) for r in items])


__all__ = ["render_office_record", "render_office_records"]
