"""Consumption warnings (消费警示): what the office publishes to the public
about a kind of food — a title and a text (in Chinese, optionally also in
English), the products it concerns and, when it is about particular lots,
those lots. Shown, with the office's recalls, on the public page /warnings
and its Atom feed; the acting ``party`` is the office that publishes it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from foodtrace.model.common import Code, Text
from foodtrace.model.event_base import LotsUsed, _Event
from foodtrace.model.vocab import Commodity


class ConsumptionWarning(LotsUsed, _Event):
    type: Literal["consumption_warning"] = "consumption_warning"
    office_may_capture = True
    labels = ("消费警示", "consumption warning")
    warning_id: Code
    title: Text  # as the office publishes it (in Chinese)
    text: Text
    title_en: Text | None = None  # an English version, when the office gives one
    text_en: Text | None = None
    products: list[Commodity] = Field(min_length=1, max_length=50)
    lots: list[Code] = Field(default_factory=list, max_length=1000)
