"""The office's other records that the annual report counts: outreach (宣传活动, with the materials
handed out and the media posts), interviews of a business's managers (约谈), sampling that is not a
lot's certificate — tableware cleanliness (餐饮具洁净度抽检) and special sampling (专项抽检), whose
result may still be pending (待检出结果) — and food-safety incidents (食品安全事故).

Immutable events like the rest; the acting ``party`` is the office that records them. A sample's
result arrives as a second ``sampling`` record with the same ``sample_id`` and a ``result``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from foodtrace.model.common import Code, Count, PartyId, Text
from foodtrace.model.event_base import LotsUsed, _Event
from foodtrace.model.vocab import Result, SamplingProgram


class Publicity(_Event):
    """A publicity event (宣传活动): materials handed out (发放宣传资料, copies) and posts in the media
    (媒体发布信息, items)."""

    type: Literal["publicity"] = "publicity"
    office_may_capture = True
    labels = ("宣传活动", "publicity event")
    publicity_id: Code
    title: Text
    materials: Count = Field(0, ge=0, le=10_000_000)
    media_posts: Count = Field(0, ge=0, le=100_000)
    people: Count | None = Field(None, ge=0, le=10_000_000)  # people reached, when counted


class Interview(_Event):
    """An interview (约谈) of a business's responsible people by the office."""

    type: Literal["interview"] = "interview"
    office_may_capture = True
    labels = ("约谈", "interview")
    interview_id: Code
    subject: PartyId
    reason: Text


class Sampling(LotsUsed, _Event):
    """A sample taken in a sampling programme (tableware cleanliness, special sampling) at a business;
    ``result`` is absent while the lab has not reported (待检出结果)."""

    type: Literal["sampling"] = "sampling"
    office_may_capture = True
    labels = ("抽检", "sampling")
    sample_id: Code
    program: SamplingProgram
    subject: PartyId
    item: Text  # what was sampled (餐具、生猪肉……)
    result: Result | None = None
    lots: list[Code] = Field(default_factory=list, max_length=100)
    campaign_id: Code | None = None


class Incident(_Event):
    """A food-safety incident (食品安全事故) as the office recorded it."""

    type: Literal["incident"] = "incident"
    office_may_capture = True
    labels = ("食品安全事故", "food-safety incident")
    incident_id: Code
    description: Text
    people_affected: Count = Field(0, ge=0, le=10_000_000)


OFFICE_RECORD_EVENTS = (Publicity, Interview, Sampling, Incident)

__all__ = ["Publicity", "Interview", "Sampling", "Incident", "OFFICE_RECORD_EVENTS"]
