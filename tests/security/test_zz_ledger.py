import io, zipfile
from tests.security.conftest import unharmed  # noqa
from tests.e2e.conftest import api  # noqa

def test_probe(api):
    H = {**api.h("op_M1"), "content-type": "text/csv"}
    def up(data, ct="text/csv", **params):
        r = api.client.post("/api/v1/ledgers", content=data, headers={**api.h("op_M1"), "content-type": ct}, params=params)
        print(r.status_code, r.text[:300])
    pass
    pass
    up(b"\x00\x01\x02" * 1000)
    up(b"\xff\xfe" + "类型".encode("utf-16-le") + b"\x00\xd8")
    up(b"a,b\n" + b"1,2\n" * 60000)
    up(b"PK\x03\x04garbage", ct="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    up(b"", ct="text/csv")
    up(b"x", name="../../etc/passwd.xlsx")
    up(b"x", name="a.xlsx")
    up(b"=cmd|' /C calc'!A0,b\n", name="a.csv")
