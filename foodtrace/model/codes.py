"""Identifiers users meet on labels and in partners' data, parsed and produced
without I/O: GS1 keys with check digits, GS1 element strings
(``(01)09520123456788(10)LOT1``), GS1 Digital Link URIs
(``https://id.gs1.org/01/09520123456788/10/LOT1``), EPC URNs
(``urn:epc:class:lgtin:952012.0345678.LOT1``) and SB/T 10680-style numeric
trace codes (area code + node + date + serial).

``canonical_code`` turns any of them into the one code a lot is stored
under: the constrained canonical Digital Link URI for GS1 identifiers (as the
CBV 2.0 event hash also uses), the text itself for anything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
import re
from urllib.parse import quote, unquote, urlsplit

from foodtrace.model.code_errors import CODE_ERRORS, CodeError  # noqa: F401 (re-exported)

CANONICAL_HOST = "https://id.gs1.org"
FOODTRACE_LOT = "urn:foodtrace:lot:"  # free-form codes as URIs in EPCIS documents
FOODTRACE_PARTY = "urn:foodtrace:party:"


# -- GS1 keys ---------------------------------------------------------------

# Primary keys: AI -> (name, digits of the numeric part or None, has a check digit)
PRIMARY = {
    "00": ("SSCC", 18, True),
    "01": ("GTIN", 14, True),
    "253": ("GDTI", 13, True),
    "255": ("GCN", 13, True),
    "401": ("GINC", None, False),
    "402": ("GSIN", 17, True),
    "414": ("GLN", 13, True),
    "417": ("party GLN", 13, True),
    "8003": ("GRAI", 14, True),
    "8004": ("GIAI", None, False),
    "8006": ("ITIP", 18, True),
    "8010": ("CPID", None, False),
    "8017": ("GSRNP", 18, True),
    "8018": ("GSRN", 18, True),
}
# Key qualifiers, in Digital Link path order, and the finest one kept by the
# constrained canonical form (CBV 2.0 event hash, rule 18).
QUALIFIERS = {"01": ("22", "10", "21", "235"), "414": ("254",), "8006": ("22", "10", "21"), "8010": ("8011",)}
FINEST = {"01": ("21", "235", "10"), "414": ("254",), "8006": ("21", "10"), "8010": ("8011",)}
# Data attributes that may follow in element strings: AI -> fixed length (None: variable, up to 20/30)
ATTRIBUTES = {"11": 6, "13": 6, "15": 6, "16": 6, "17": 6, "7003": 10, "3103": 6, "3922": None, "422": 3}
VARIABLE = {"10": 20, "21": 20, "22": 20, "235": 28, "254": 20, "401": 30, "8004": 30, "8010": 30, "8011": 12}


def check_digit(body: str) -> str:
    """The GS1 mod-10 check digit of ``body`` (all digits but the last)."""
    if not body.isdigit():
        raise CodeError("code_key_not_digits", body=body)
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def has_valid_check_digit(key: str) -> bool:
    return len(key) > 1 and key.isdigit() and check_digit(key[:-1]) == key[-1]


def normalise_gtin(gtin: str) -> str:
    """A GTIN-8/12/13/14 as 14 digits, its check digit verified."""
    if not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14):
        raise CodeError("code_gtin_length", gtin=gtin)
    if not has_valid_check_digit(gtin):
        raise CodeError("code_gtin_check_digit", gtin=gtin, expected=check_digit(gtin[:-1]))
    return gtin.zfill(14)


def _check_key(ai: str, value: str, strict: bool = True) -> str:
    name, digits, checked = PRIMARY[ai]
    if ai == "01" and strict:
        return normalise_gtin(value)
    if ai == "01":
        return value.zfill(14) if value.isdigit() and len(value) in (8, 12, 13) else value
    if not strict:
        return value
    numeric = value[:digits] if digits else value
    if digits and (len(numeric) != digits or not numeric.isdigit()):
        raise CodeError("code_key_length", name=name, ai=ai, value=value, digits=digits)
    if checked and not has_valid_check_digit(numeric):
        raise CodeError("code_key_check_digit", name=name, ai=ai, value=value,
                        expected=check_digit(numeric[:-1]))
    return value


# -- GS1 Digital Link -------------------------------------------------------


@dataclass(frozen=True)
class DigitalLink:
    """A GS1 identifier: primary key, its qualifiers, and data attributes."""

    ai: str
    key: str
    qualifiers: tuple[tuple[str, str], ...] = ()
    attributes: dict[str, str] = field(default_factory=dict, compare=False)

    def get(self, ai: str) -> str | None:
        return dict(self.qualifiers).get(ai)

    @property
    def gtin(self) -> str | None:
        return self.key if self.ai == "01" else None

    @property
    def lot(self) -> str | None:
        return self.get("10")

    def uri(self, host: str = CANONICAL_HOST) -> str:
        """The Digital Link URI (qualifiers in their defined order)."""
        order = QUALIFIERS.get(self.ai, ())
        quals = sorted(self.qualifiers, key=lambda q: order.index(q[0]) if q[0] in order else 99)
        path = f"/{self.ai}/{_enc(self.key)}" + "".join(f"/{a}/{_enc(v)}" for a, v in quals)
        return host.rstrip("/") + path

    def constrained(self) -> "DigitalLink":
        """Only the most fine-grained identification (CBV 2.0 rule 18): no
        attributes, no consumer product variant, one qualifier at most."""
        for q in FINEST.get(self.ai, ()):
            if self.get(q) is not None:
                return DigitalLink(self.ai, self.key, ((q, self.get(q)),))
        return DigitalLink(self.ai, self.key)

    def element_string(self) -> str:
        parts = [(self.ai, self.key), *self.qualifiers, *sorted(self.attributes.items())]
        return "".join(f"({a}){v}" for a, v in parts)


def _enc(value: str) -> str:
    return quote(value, safe="-._~!$'()*+,;=:@")  # RFC 3986 pchar less '&' and '/'


_DL_PAIR = re.compile(r"^[0-9]{2,4}$")


def parse_digital_link(uri: str, strict: bool = True) -> DigitalLink | None:
    """The identifier in a GS1 Digital Link URI on any host (None if it is not one).
    Raises ``CodeError`` when it is one but breaks a rule (a check digit…);
    ``strict=False`` lets wrong check digits through (partners' data)."""
    if not uri.lower().startswith(("http://", "https://")):
        return None
    parts = urlsplit(uri)
    segs = [unquote(s) for s in parts.path.split("/") if s]
    # find the primary key: the last path position where a known key AI is followed by a value
    for i in range(len(segs) - 1):
        ai = segs[i]
        if ai in PRIMARY and (len(segs) - i) % 2 == 0 and all(_DL_PAIR.match(segs[j]) for j in range(i, len(segs), 2)):
            ai = {"gtin": "01"}.get(ai, ai)
            key = _check_key(ai, segs[i + 1], strict)
            quals = tuple((segs[j], segs[j + 1]) for j in range(i + 2, len(segs), 2))
            allowed = QUALIFIERS.get(ai, ())
            for a, _ in quals:
                if a not in allowed:
                    raise CodeError("code_dl_qualifier", qualifier=a, ai=ai)
            attrs = {}
            for pair in (parts.query or "").split("&"):
                if "=" in pair:
                    a, v = pair.split("=", 1)
                    if a.isdigit():
                        attrs[a] = unquote(v)
            return DigitalLink(ai, key, quals, attrs)
    return None


def digital_link(gtin: str, lot: str | None = None, serial: str | None = None, host: str = CANONICAL_HOST) -> str:
    """``https://id.gs1.org/01/{gtin14}[/10/{lot}][/21/{serial}]`` — what a QR code should carry."""
    quals = tuple(q for q in (("10", lot), ("21", serial)) if q[1])
    return DigitalLink("01", normalise_gtin(gtin), quals).uri(host)


# -- element strings -----------------------------------------------------------

_ES = re.compile(r"\((\d{2,4})\)([^()]*)")


def parse_element_string(text: str) -> DigitalLink:
    """``(01)09520123456788(10)LOT1(17)251231`` -> its identifier; every
    check digit and fixed length verified."""
    text = text.strip()
    pairs = _ES.findall(text)
    if not pairs or "".join(f"({a}){v}" for a, v in pairs) != text:
        raise CodeError("code_element_string_form", text=text)
    primary = [(a, v) for a, v in pairs if a in PRIMARY]
    if len(primary) != 1:
        raise CodeError("code_element_string_primary", text=text)
    ai, value = primary[0]
    key = _check_key(ai, value)
    quals, attrs = [], {}
    for a, v in pairs:
        if a == ai:
            continue
        if a in QUALIFIERS.get(ai, ()):
            if a in VARIABLE and len(v) > VARIABLE[a]:
                raise CodeError("code_ai_too_long", ai=a, value=v, max=VARIABLE[a])
            quals.append((a, v))
        elif a in ATTRIBUTES and ATTRIBUTES[a] and len(v) != ATTRIBUTES[a]:
            raise CodeError("code_ai_fixed_length", ai=a, value=v, digits=ATTRIBUTES[a])
        else:
            attrs[a] = v
    return DigitalLink(ai, key, tuple(quals), attrs)


# -- EPC URNs (GS1 EPC Tag Data Standard) -------------------------------------


def _pad_key(company: str, ref: str, length: int) -> str:
    body = company + ref
    if not body.isdigit() or len(body) != length - 1:
        raise CodeError("code_epc_digits", company=company, ref=ref, digits=length - 1)
    return body + check_digit(body)


def _indicator_key(company: str, ref: str, length: int) -> str:
    """SGTIN / SSCC / ITIP: the ref's first digit (indicator / extension) moves to the front."""
    if not ref:
        raise CodeError("code_epc_no_reference", company=company, ref=ref)
    return _pad_key(ref[0] + company, ref[1:], length)


def parse_epc_urn(urn: str) -> DigitalLink | None:
    """An EPC pure-identity, class or pattern URN as a Digital Link identifier
    (None when ``urn`` is not one of these)."""
    m = re.match(r"^urn:epc:(id|class|idpat):([a-z0-9]+):(.+)$", urn.strip())
    if not m:
        return None
    kind, scheme, rest = m.groups()
    parts = [unquote(p) for p in rest.split(".")]
    try:
        if scheme == "sgtin" and kind in ("id", "idpat") and len(parts) == 3:
            gtin = _indicator_key(parts[0], parts[1], 14)
            return DigitalLink("01", gtin) if parts[2] == "*" else DigitalLink("01", gtin, (("21", parts[2]),))
        if scheme == "lgtin" and kind == "class" and len(parts) == 3:
            return DigitalLink("01", _indicator_key(parts[0], parts[1], 14), (("10", parts[2]),))
        if scheme == "sscc" and len(parts) == 2:
            return DigitalLink("00", _indicator_key(parts[0], parts[1], 18))
        if scheme == "sgln" and len(parts) == 3:
            gln = _pad_key(parts[0], parts[1], 13)
            return DigitalLink("414", gln, (("254", parts[2]),) if parts[2] not in ("0", "*") else ())
        if scheme == "pgln" and len(parts) == 2:
            return DigitalLink("417", _pad_key(parts[0], parts[1], 13))
        if scheme == "grai" and len(parts) == 3:
            return DigitalLink("8003", "0" + _pad_key(parts[0], parts[1], 13) + parts[2])
        if scheme == "giai" and len(parts) == 2:
            return DigitalLink("8004", parts[0] + parts[1])
        if scheme in ("gsrn", "gsrnp") and len(parts) == 2:
            return DigitalLink("8018" if scheme == "gsrn" else "8017", _pad_key(parts[0], parts[1], 18))
        if scheme == "gdti" and len(parts) == 3:
            return DigitalLink("253", _pad_key(parts[0], parts[1], 13) + parts[2])
        if scheme == "sgcn" and len(parts) == 3:
            return DigitalLink("255", _pad_key(parts[0], parts[1], 13) + parts[2])
        if scheme == "ginc" and len(parts) == 2:
            return DigitalLink("401", parts[0] + parts[1])
        if scheme == "gsin" and len(parts) == 2:
            return DigitalLink("402", _pad_key(parts[0], parts[1], 17))
    except CodeError:
        return None
    return None


# -- SB/T 10680-style numeric codes -------------------------------------------

NODE_TYPES = {
    "11": ("养殖场", "farm"), "12": ("种植基地", "vegetable base"), "21": ("屠宰厂", "slaughterhouse"),
    "31": ("批发", "wholesale"), "41": ("零售", "retail"), "51": ("零售小票", "retail receipt"),
    "90": ("检验检疫", "inspection"),
}


@dataclass(frozen=True)
class SbtCode:
    """An SB/T 10680-style trace code: GB/T 2260 area (6 digits) + node
    (2-digit node type + 2-digit node number) + date (YYYYMMDD) + serial (7)."""

    area: str
    node: str
    day: date
    serial: int

    @property
    def node_type(self) -> str:
        return self.node[:2]

    def __str__(self) -> str:
        return f"{self.area}{self.node}{self.day:%Y%m%d}{self.serial:07d}"


_SBT = re.compile(r"^(\d{6})(\d{4})(\d{4})(\d{2})(\d{2})(\d{7})$")


def parse_sbt(code: str) -> SbtCode | None:
    m = _SBT.match(code.strip())
    if not m:
        return None
    area, node, y, mo, d, serial = m.groups()
    try:
        return SbtCode(area, node, date(int(y), int(mo), int(d)), int(serial))
    except ValueError:
        return None


def sbt_code(area: str, node: str, day: date, serial: int) -> str:
    if not (len(area) == 6 and area.isdigit() and len(node) == 4 and node.isdigit() and 0 <= serial < 10**7):
        raise CodeError("code_sbt_parts")
    return str(SbtCode(area, node, day, serial))


# -- the crosswalk: any identifier -> the code a lot is stored under ----------


def gs1_identifier(text: str, strict: bool = False) -> DigitalLink | None:
    """The GS1 identifier in an EPC URN, a Digital Link or an element string
    (check digits of Digital Links verified only when ``strict``)."""
    text = text.strip()
    if text.startswith("urn:epc:"):
        return parse_epc_urn(text)
    if text.startswith("("):
        return parse_element_string(text)
    return parse_digital_link(text, strict)


def canonical_code(text: str) -> str:
    """The code a lot named by ``text`` is stored under: GS1 identifiers as
    their constrained canonical Digital Link URI, ``urn:foodtrace:lot:X`` as X,
    anything else as given."""
    text = text.strip()
    if text.startswith(FOODTRACE_LOT):
        return unquote(text[len(FOODTRACE_LOT):])
    try:
        ident = gs1_identifier(text)
    except CodeError:
        ident = None
    return ident.constrained().uri() if ident else text


def lot_uri(code: str) -> str:
    """A lot code as a URI for an EPCIS document (GS1 and other URIs as they are)."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", code) and ":" in code and " " not in code:
        return code
    return FOODTRACE_LOT + quote(code, safe="")


def party_uri(party: str) -> str:
    if re.fullmatch(r"\d{13}", party) and has_valid_check_digit(party):
        return f"{CANONICAL_HOST}/417/{party}"
    return FOODTRACE_PARTY + quote(party, safe="")


def party_of(uri: str) -> str:
    """A party id from an EPCIS party or location URI: a GLN when there is one."""
    uri = uri.strip()
    if uri.startswith(FOODTRACE_PARTY):
        return unquote(uri[len(FOODTRACE_PARTY):])
    try:
        ident = gs1_identifier(uri)
    except CodeError:
        ident = None
    if ident and ident.ai in ("414", "417"):
        return ident.key
    return uri[-64:]
