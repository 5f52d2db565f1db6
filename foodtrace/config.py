"""Settings, read from the environment (``FOODTRACE_`` prefix) when built — never at import."""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FOODTRACE_", extra="ignore")

    store: str = Field("sqlite:///./foodtrace.db", description="Store URL: sqlite:///path, memory://, bolt://, neo4j://")
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = Field("", description="Public base URL for links and QR codes; default http://host:port")
    max_batch_events: int = Field(10_000, description="Largest capture batch accepted over HTTP")
    max_request_bytes: int = Field(20_000_000, description="Largest HTTP request body")
    max_json_depth: int = Field(32, ge=2, le=1000, description="Deepest nesting of arrays and objects accepted in "
                                "any JSON input (HTTP bodies, EPCIS and JSON-lines files)")
    read_cache_entries: int = Field(10_000, ge=0, description="Consumer views of lots kept ready per process "
                                    "(embedded store; each dropped the moment an event touches what it shows); 0: none")
    view_fill_every_s: int = Field(300, ge=0, description="Seconds between the background fills of the consumer "
                                   "views kept in an SQLite store's file, by a low-priority process that `foodtrace "
                                   "serve` starts (docs/operations.md); 0: none")
    trace_limit: int = Field(100_000, description="Most lots a single trace may return")
    public_rate_per_minute: int = Field(120, ge=1, description="Public (keyless) requests per minute per client address")
    public_burst: int = Field(30, ge=1, description="Public requests a client may make at once before the rate applies")
    store_timeout_s: float = Field(30.0, gt=0, description="Most seconds a store call may take (lock waits, "
                                   "Neo4j transactions and retries) before it fails with store_unavailable")
    complaints_per_hour: int = Field(5, ge=1, description="Consumer problem reports accepted per client address per hour")
    complaints_per_lot_per_hour: int = Field(10, ge=1, description="Consumer problem reports accepted per lot per "
                                             "hour from the public form, from all clients together")
    complaint_form_max_age_s: int = Field(7200, ge=60, description="Seconds a consumer page's report form stays "
                                          "valid (its anti-forgery token)")
    form_secret: SecretStr = Field(SecretStr(""), description="Key that signs the public forms' anti-forgery "
                                   "tokens; default: a random one per process (set it when several processes "
                                   "serve the same site)")
    session_idle_minutes: int = Field(30, ge=1, le=1440, description="A signed-in person's session ends after "
                                      "this many minutes without a request")
    session_max_hours: int = Field(12, ge=1, le=168, description="A session ends this many hours after sign-in")
    signin_failures_per_account: int = Field(5, ge=1, description="Failed sign-ins of one login, within "
                                             "signin_lockout_minutes, after which it is locked until the window passes")
    signin_failures_per_address: int = Field(20, ge=1, description="Failed sign-ins from one client address, within "
                                             "signin_lockout_minutes, after which it is locked until the window passes")
    session_store: str = Field("", description="The SQLite file of people's sessions and sign-in failures, shared "
                               "by every worker (default: beside an sqlite:/// store as <name>.sessions.db; in memory "
                               "for memory://; ./foodtrace.sessions.db for Neo4j)")
    password_hash_cost: Literal["standard", "test"] = Field(
        "standard", description="argon2id cost of new password hashes: standard (argon2-cffi's RFC 9106 low-memory "
        "profile, 64 MiB; production) or test (8 KiB, one pass: for test suites only; foodtrace doctor warns)")
    signin_lockout_minutes: int = Field(15, ge=1, le=1440, description="The window of the sign-in failure limits")
    trusted_proxies: str = Field("", description="Comma-separated IPs or CIDRs of reverse proxies whose "
                                 "X-Forwarded-For / X-Forwarded-Proto are believed; default none")
    neo4j_user: str = "neo4j"
    neo4j_password: str = "foodtrace-dev"
    neo4j_database: str = "neo4j"
    lang: str = Field("zh", description="Default language of user-facing text: zh or en")
    rules: str = Field("", description="Path of the food-safety rules file (TOML); default: the one shipped")
    tz: str = Field("+08:00", description="Time zone of dates given without one (report periods): +08:00, UTC "
                                         "or an IANA name such as Asia/Shanghai")
    district_name: str = Field("示范区", max_length=60, description="The district's name in Chinese, on the "
                               "title of its reports")
    district_name_en: str = Field("Demo District", max_length=120, description="The district's name in English")
    office_name: str = Field("区市场监督管理局", max_length=60, description="The office issuing the reports, "
                             "in Chinese (the date line's signature)")
    office_name_en: str = Field("District Administration for Market Regulation", max_length=120,
                                description="The issuing office in English")

    log_format: Literal["text", "json"] = Field("text", description="Request and error logs: readable text, or "
                                                 "json (one object a line) for machines")
    metrics_key: SecretStr = Field(SecretStr(""), description="Key for GET /metrics from other than loopback "
                                   "(Authorization: Bearer <key>); empty: loopback clients only")
    ready_timeout_s: float = Field(5.0, gt=0, description="Most seconds GET /readyz waits for the store (and "
                                   "never longer than store_timeout_s)")

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: str) -> str:
        for item in _items(value):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or a CIDR network") from None
        return value

    def trusted_proxy_list(self) -> list[str]:
        """``trusted_proxies`` as a list of IPs and CIDRs (empty: trust no proxy)."""
        return _items(self.trusted_proxies)

    def public_base_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")


def _items(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]
