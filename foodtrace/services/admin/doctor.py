"""``foodtrace doctor``: is this configuration safe to put in front of users?

Each check gives ``ok``, ``warn`` (works, but an operator should know) or
``fail`` (would break users: QR codes that phones cannot open, a store that
does not answer, a rules file that does not load). Texts in zh and en; setting
and command names are identifiers in both. Reading only: a missing SQLite
file is reported, never created.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlsplit, urlunsplit

from foodtrace.config import Settings
from foodtrace.errors import FoodtraceError

OK, WARN, FAIL = "ok", "warn", "fail"
SECRETS = {"neo4j_password", "metrics_key"}
DEFAULT_STORE = Settings.model_fields["store"].default


@dataclass(frozen=True)
class Finding:
    check: str
    level: str
    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def mask_url(url: str) -> str:
    """A URL with any password replaced by ***."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def effective_settings(settings: Settings) -> dict[str, str]:
    """Every setting as it takes effect, secrets masked (*** when set, empty when not)."""
    out: dict[str, str] = {}
    for name, value in settings.model_dump().items():
        if name in SECRETS:
            raw = value.get_secret_value() if hasattr(value, "get_secret_value") else value
            out[name] = "***" if raw else ""
        elif name == "store":
            out[name] = mask_url(str(value))
        else:
            out[name] = str(value)
    out["base_url (effective)"] = settings.public_base_url()
    return out


def _address_kind(host: str) -> str:
    """loopback, private, or public — for a literal address or a name (resolved when it can be)."""
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return "loopback"
    try:
        ips = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            ips = [ipaddress.ip_address(ai[4][0].split("%")[0]) for ai in socket.getaddrinfo(host, None)]
        except (OSError, UnicodeError):
            return "public"  # not resolvable from here: nothing to say about it
    if ips and all(ip.is_loopback for ip in ips):
        return "loopback"
    if ips and all(ip.is_private or ip.is_link_local or ip.is_unspecified for ip in ips):
        return "private"
    return "public"


def check_base_url(settings: Settings) -> Finding:
    url = settings.public_base_url()
    parts = urlparse(url)
    host = parts.hostname or ""
    kind = _address_kind(host) if host else "loopback"
    if parts.scheme not in ("http", "https") or not host:
        return Finding("base_url", FAIL, f"基础地址 {url} 无效：应为 https://主机名", f"the base URL {url} is not valid: "
                       "expected https://host")
    if kind == "loopback":
        return Finding("base_url", FAIL, f"基础地址 {url} 指向本机回环地址：二维码和链接在消费者手机上打不开；请设置 "
                       "FOODTRACE_BASE_URL 为对外的 https 地址", f"the base URL {url} is this machine's loopback "
                       "address: QR codes and links will not open on consumers' phones; set FOODTRACE_BASE_URL to "
                       "the public https address")
    if kind == "private":
        return Finding("base_url", WARN, f"基础地址 {url} 是内网地址：只有内网内的手机能打开二维码",
                       f"the base URL {url} is a private address: only phones inside this network can open the QR "
                       "codes")
    if parts.scheme != "https":
        return Finding("base_url", WARN, f"基础地址 {url} 未使用 https：请在前面加 TLS 反向代理",
                       f"the base URL {url} is not https: put a TLS reverse proxy in front")
    return Finding("base_url", OK, f"基础地址 {url}", f"base URL {url}")


def check_listen(settings: Settings) -> Finding:
    kind = _address_kind(settings.host) if settings.host not in ("0.0.0.0", "::") else "public"
    if kind != "loopback" and urlparse(settings.public_base_url()).scheme == "https":
        return Finding("listen", WARN, f"以明文 HTTP 监听 {settings.host}:{settings.port}：在 TLS 反向代理之后请只监听 "
                       "127.0.0.1", f"listening with plain HTTP on {settings.host}:{settings.port}: behind a TLS "
                       "reverse proxy, listen on 127.0.0.1 only")
    return Finding("listen", OK, f"监听 {settings.host}:{settings.port}", f"listening on {settings.host}:{settings.port}")


def check_proxies(settings: Settings) -> Finding:
    proxies = settings.trusted_proxy_list()
    if not proxies:
        return Finding("trusted_proxies", WARN, "未信任任何反向代理：在代理之后，所有消费者共用代理的地址和限流额度",
                       "no reverse proxy is trusted: behind one, every consumer shares the proxy's address and its "
                       "rate limit")
    return Finding("trusted_proxies", OK, f"信任的反向代理：{', '.join(proxies)}",
                   f"trusted reverse proxies: {', '.join(proxies)}")


def check_tz(settings: Settings) -> Finding:
    from foodtrace.services.report.period import parse_tz

    try:
        parse_tz(settings.tz, "tz")
    except FoodtraceError:
        return Finding("tz", FAIL, f"时区 {settings.tz!r} 无效：应为 +08:00、UTC 或 Asia/Shanghai 之类",
                       f"time zone {settings.tz!r} is not valid: expected +08:00, UTC or a name like Asia/Shanghai")
    return Finding("tz", OK, f"时区 {settings.tz}", f"time zone {settings.tz}")


def check_rules(settings: Settings) -> Finding:
    from foodtrace.services.safety.rules import load_rules
    from foodtrace.services.safety.rules.config import SHIPPED

    path = settings.rules or str(SHIPPED)
    try:
        load_rules(path)
    except FoodtraceError as exc:
        return Finding("rules", FAIL, f"规则文件无法加载：{exc}", f"the rules file does not load: {exc}")
    return Finding("rules", OK, f"规则文件 {path}", f"rules file {path}")


def sqlite_path(settings: Settings) -> Path | None:
    return Path(settings.store[len("sqlite:///"):]) if settings.store.startswith("sqlite:///") else None


def check_store_path(settings: Settings) -> Finding | None:
    """The SQLite file: where it is, whether it exists; None for other stores."""
    path = sqlite_path(settings)
    if path is None:
        return None
    if not path.exists():
        return Finding("store_path", WARN, f"数据库文件 {path} 不存在：服务会新建一个空库（新安装？路径写错了？）",
                       f"the database file {path} does not exist: serving would start an empty store (a new install? "
                       "a wrong path?)")
    if settings.store == DEFAULT_STORE or not path.is_absolute():
        return Finding("store_path", WARN, f"数据库路径 {path} 是相对路径，取决于启动时的工作目录：请用 "
                       "sqlite:////绝对路径", f"the database path {path} is relative to the working directory at "
                       "start: use sqlite:////absolute/path")
    return Finding("store_path", OK, f"数据库文件 {path}", f"database file {path}")


def check_store(settings: Settings) -> list[Finding]:
    """The store answers and its lineage catches up; an active admin key exists."""
    from foodtrace.graph import open_store

    try:
        store = open_store(settings.store, settings)
    except FoodtraceError as exc:
        return [Finding("store", FAIL, f"存储无法打开：{exc}", f"the store does not open: {exc}")]
    try:
        st = store.status(catch_up=True)
        admins = [k for k in store.api_keys() if k.role.value == "admin" and not k.revoked]
    except FoodtraceError as exc:
        return [Finding("store", FAIL, f"存储没有应答：{exc}", f"the store does not answer: {exc}")]
    finally:
        store.close()
    out = [Finding("store", OK, f"存储应答：{st.log_seq} 条事件，{st.lots} 个批次，{st.links} 条关联",
                   f"the store answers: {st.log_seq} events, {st.lots} lots, {st.links} links")]
    if admins:
        out.append(Finding("admin", OK, f"有效的管理员密钥：{len(admins)} 个", f"active admin keys: {len(admins)}"))
    else:
        out.append(Finding("admin", WARN, "没有有效的管理员密钥：无法通过接口备案主体和签发密钥；用 foodtrace keys create "
                           "--role admin 创建", "no active admin key: nobody can register parties or issue keys over "
                           "HTTP; create one with foodtrace keys create --role admin"))
    return out


def check_secrets(settings: Settings) -> list[Finding]:
    out = []
    if urlparse(settings.store).scheme.startswith(("bolt", "neo4j")) and \
            settings.neo4j_password == Settings.model_fields["neo4j_password"].default:
        out.append(Finding("neo4j_password", WARN, "Neo4j 仍使用开发用的默认密码", "Neo4j uses the development "
                           "default password"))
    if settings.password_hash_cost == "test":
        out.append(Finding("password_hash_cost", WARN, "密码散列使用测试强度（FOODTRACE_PASSWORD_HASH_COST=test）："
                           "新密码极易被破解，生产环境切勿使用", "passwords are hashed at the test cost "
                           "(FOODTRACE_PASSWORD_HASH_COST=test): new passwords are easy to crack; never in production"))
    key = settings.metrics_key.get_secret_value()
    if key and len(key) < 16:
        out.append(Finding("metrics_key", WARN, "指标密钥少于 16 个字符，容易被猜中", "the metrics key is shorter than "
                           "16 characters: easy to guess"))
    elif not key:
        out.append(Finding("metrics_key", OK, "指标（/metrics）只对本机开放", "metrics (/metrics) are open to "
                           "loopback clients only"))
    return out


def diagnose(settings: Settings) -> list[Finding]:
    """Every check, in the order an operator would fix them."""
    found = [check_base_url(settings), check_listen(settings), check_proxies(settings), check_tz(settings),
             check_rules(settings)]
    path = check_store_path(settings)
    if path is not None:
        found.append(path)
    file = sqlite_path(settings)
    if file is None or file.exists():  # never create a missing SQLite file
        found.extend(check_store(settings))
    found.extend(check_secrets(settings))
    return found


def breaks_users(findings: list[Finding]) -> bool:
    return any(f.level == FAIL for f in findings)
