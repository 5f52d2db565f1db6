"""Running the app under uvicorn: one process, or ``workers`` processes that
each build the app from the environment (an import-string factory, which is
what uvicorn needs to start workers)."""

from __future__ import annotations

import os

from foodtrace.config import Settings
from foodtrace.errors import ConfigError
from foodtrace.i18n.keyed import keyed
from foodtrace.api import gc_policy, view_filler
from foodtrace.api.client import uvicorn_proxy_options
from foodtrace.api.logs import configure_logging

FACTORY = "foodtrace.api.serving:app_from_env"


def app_from_env():
    """The app of one worker: settings from the ``FOODTRACE_*`` environment, logs set up."""
    from foodtrace.api.app import create_app

    settings = Settings()
    configure_logging(settings.log_format)
    gc_policy.install()
    return create_app(settings)


def settings_env(settings: Settings) -> dict[str, str]:
    """``settings`` as ``FOODTRACE_*`` variables, so that every worker sees the same settings."""
    out = {}
    for name, value in settings.model_dump().items():
        value = value.get_secret_value() if hasattr(value, "get_secret_value") else value
        out[f"FOODTRACE_{name.upper()}"] = str(value)
    return out


def run(settings: Settings, workers: int = 1, store=None) -> None:
    """Serve until stopped. ``store``: an already open store (one process only)."""
    import uvicorn

    configure_logging(settings.log_format)
    kw = dict(host=settings.host, port=settings.port, log_level="warning", access_log=False,
              **uvicorn_proxy_options(settings))
    if workers > 1 and store is not None:
        raise keyed(ConfigError, "serve_workers_store")
    env = settings_env(settings)  # every process it starts sees the same settings
    filler = view_filler.start(settings, env)  # one for all the workers
    try:
        if workers <= 1:
            from foodtrace.api.app import create_app

            gc_policy.install()  # this process serves: as each worker of several does (app_from_env)
            uvicorn.run(create_app(settings, store=store), **kw)
            return
        os.environ.update(env)
        uvicorn.run(FACTORY, factory=True, workers=workers, **kw)
    finally:
        view_filler.stop(filler)
