"""The OpenAPI document: FastAPI's, plus the event schemas that the capture
route parses itself (to report errors by position)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from foodtrace.model.registry import EVENT_ADAPTER


def openapi_document(app: FastAPI) -> dict:
    if app.openapi_schema is None:
        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes,
                          tags=app.openapi_tags)
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        events = EVENT_ADAPTER.json_schema(ref_template="#/components/schemas/Event.{model}")
        for name, schema in events.pop("$defs", {}).items():
            if "type" in schema.get("properties", {}) and "discriminator" not in schema:  # the tag is required
                schema["required"] = sorted({*schema.get("required", []), "type"})
            schemas[f"Event.{name}"] = schema
        schemas["Event"] = events
        app.openapi_schema = doc
    return app.openapi_schema
