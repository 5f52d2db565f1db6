"""Dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..config import Settings
from ..errors import Unauthorized, detail
from ..graph.store import GraphStore
from ..services.supervision.access import Actor


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_actor(request: Request) -> Actor:
    """Who is calling: a role and the party its key belongs to. There are no
    API keys yet, so nobody is anybody: every call that needs an actor is
    refused with 401 until keys are wired in here (tests override this
    dependency)."""
    raise Unauthorized("an API key is required", [detail(None, "authorization", "no valid API key was sent")])


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ActorDep = Annotated[Actor, Depends(get_actor)]
