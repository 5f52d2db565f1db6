"""Dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..config import Settings
from ..graph.store import GraphStore
from ..services.rules import RuleConfig, load_rules


# ``async`` although they do no I/O: FastAPI runs a plain ``def`` dependency in a worker thread.
async def get_store(request: Request) -> GraphStore:
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_rules(settings: SettingsDep) -> RuleConfig:
    return load_rules(settings.rules or None)


RulesDep = Annotated[RuleConfig, Depends(get_rules)]
