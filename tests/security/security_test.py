#!/usr/bin/env python3
"""Security tests of `tahadhari serve` (python3 stdlib only; loopback only).

Checks, each against a real server on a temporary store:
  * writes (POST /api/incidents, POST /api/ingest): no token → 401, viewer → 403, editor → 201/200,
    a bad or revoked token → 401; a field report comes back from
    /collections/events/items?source=report with reported_by = the token's name;
  * upload file names cannot place files outside the store folder;
  * malformed bbox / datetime / limit / near / within → 400 with a message naming the parameter;
  * path traversal under /app/ (raw, %2f, %2e, double-encoded, backslashes, ...) → 404, never
    the contents of a file outside the dashboard folder;
  * oversize bodies: 2 GiB Content-Length to /api/ingest → 413 without reading it (server RSS
    must not grow by more than 50 MB), chunked oversize upload with --max-upload-mb 5 → 413
    without memory growth, a 2 MB JSON body to /api/incidents → 413;
  * --read-token-required: reads need a viewer/editor token, /app/ static files do not;
  * tokens are stored only as SHA-256 (no cell of any table holds the token itself).

    python3 tests/security/security_test.py --binary build/tahadhari [--work DIR] [-k NAME]

Exit 0 = all passed, 1 = a failure, 77 = skipped (no /proc, no sample data). Prints
"N passed, N failed" last.
"""
import argparse
import hashlib
import http.client
import json
import os
import re
import select
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SAMPLE = REPO / "data" / "samples" / "ucdp-ged231-sample-1000.csv"
RSS_BUDGET_KB = 50 * 1024

args = None
results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    if ok:
        results["passed"] += 1
        print(f"ok   {name}")
    else:
        results["failed"] += 1
        print(f"FAIL {name}" + (f": {detail}" if detail else ""))
    return ok


def run(*argv, expect=0):
    p = subprocess.run([str(args.binary), *map(str, argv)], capture_output=True, text=True)
    if expect is not None and p.returncode != expect:
        raise AssertionError(f"tahadhari {' '.join(map(str, argv))}: exit {p.returncode}\n{p.stderr}")
    return p


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


class Server:
    """`tahadhari serve` on a free loopback port; stopped with SIGTERM (its own pid only)."""

    def __init__(self, store, *extra):
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([str(args.binary), "serve", "--store", str(store), "--port",
                                      str(self.port), *map(str, extra)],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.log.seek(0)
        out = self.log.read().decode(errors="replace")
        self.stop()
        raise AssertionError(f"server did not start: {out[-2000:]}")

    @property
    def pid(self):
        return self.proc.pid

    def request(self, method, path, body=None, token=None, headers=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        try:
            j = json.loads(data)
        except ValueError:
            j = None
        return r.status, j, data

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# ------------------------------------------------------------------------- raw HTTP helpers

def read_response(sock, timeout=30):
    """Reads one HTTP response (status, headers dict, body) from a socket."""
    sock.settimeout(timeout)
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0] if lines else "")
    if not m:
        raise AssertionError(f"no HTTP response: {buf[:200]!r}")
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0") or 0)
    while len(body) < n:
        try:
            chunk = sock.recv(65536)
        except OSError:
            break
        if not chunk:
            break
        body += chunk
    return int(m.group(1)), headers, body


def raw_get(port, target):
    """GET with the request target sent byte for byte (no client-side normalisation)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
                  .encode("latin-1"))
        return read_response(s)


def streamed_post(port, path, token, content_length=None, send_bytes=0, chunk=1 << 20,
                  content_type="application/octet-stream"):
    """POSTs headers then up to `send_bytes` of body (fixed Content-Length, or chunked when
    content_length is None), stopping as soon as the server answers. Returns
    (status, body, bytes_sent)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: {content_type}\r\n")
        head += ("Transfer-Encoding: chunked\r\n" if content_length is None
                 else f"Content-Length: {content_length}\r\n")
        s.sendall((head + "\r\n").encode())
        block = b"x" * chunk
        sent = 0
        while sent < send_bytes:
            readable, _, _ = select.select([s], [], [], 0)
            if readable:
                break
            piece = block[: min(chunk, send_bytes - sent)]
            try:
                if content_length is None:
                    s.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                else:
                    s.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
        if content_length is None and sent >= send_bytes:
            try:
                s.sendall(b"0\r\n\r\n")
            except OSError:
                pass
        status, _, body = read_response(s, timeout=120)
        return status, body, sent
    finally:
        s.close()


def describes(j, param):
    return isinstance(j, dict) and param.lower() in str(j.get("description", "")).lower()


# ------------------------------------------------------------------------- the checks

def make_store(work, name):
    store = work / name
    run("ingest", "--store", store, "--quiet", SAMPLE)
    return store


def create_token(store, name, role):
    p = run("token", "create", "--store", store, "--name", name, "--role", role)
    tok = p.stdout.strip().split()[-1]
    if len(tok) < 20:
        raise AssertionError(f"token create printed {p.stdout!r}")
    return tok


def test_auth_and_writes(work):
    store = make_store(work, "auth.gpkg")
    editor = create_token(store, "amina", "editor")
    viewer = create_token(store, "baraka", "viewer")
    report = {"date": "2016-03-04", "lat": -0.4536, "lon": 39.6401, "event_type": "Battles",
              "sub_event_type": "Armed clash", "actor1": "Security test", "fatalities": 2,
              "description": "security_test field report", "country": "KEN", "admin1": "Garissa"}
    body = json.dumps(report).encode()
    csv = SAMPLE.read_bytes()
    with Server(store) as srv:
        for path, data, ctype in (("/api/incidents", body, "application/json"),
                                  ("/api/ingest?filename=ucdp.csv", csv, "text/csv")):
            st, j, raw = srv.request("POST", path, data, headers={"Content-Type": ctype})
            check(f"POST {path} without a token → 401", st == 401, f"{st} {raw[:200]!r}")
            st, j, raw = srv.request("POST", path, data, token="not-a-real-token",
                                     headers={"Content-Type": ctype})
            check(f"POST {path} with an unknown token → 401", st == 401, f"{st} {raw[:200]!r}")
            st, j, raw = srv.request("POST", path, data, headers={"Content-Type": ctype,
                                                                  "Authorization": f"Basic {editor}"})
            check(f"POST {path} with a non-Bearer scheme → 401", st == 401, f"{st} {raw[:200]!r}")
            st, j, raw = srv.request("POST", path, data, token=viewer, headers={"Content-Type": ctype})
            check(f"POST {path} with a viewer token → 403", st == 403, f"{st} {raw[:200]!r}")
        st, _, raw = srv.request("GET", "/collections/events/items?source=report")
        check("nothing stored by refused writes", st == 200 and json.loads(raw)["numberMatched"] == 0,
              raw[:200])

        st, j, raw = srv.request("POST", "/api/incidents", body, token=editor,
                                 headers={"Content-Type": "application/json"})
        check("POST /api/incidents with an editor token → 201", st == 201, f"{st} {raw[:300]!r}")
        if st == 201:
            check("201 body is the stored feature with reported_by = amina",
                  (j or {}).get("properties", {}).get("reported_by") == "amina", raw[:300])
        st, j, raw = srv.request("GET", "/collections/events/items?source=report")
        feats = (j or {}).get("features", [])
        check("the report is returned by /collections/events/items?source=report",
              st == 200 and len(feats) == 1, f"{st} {raw[:300]!r}")
        if feats:
            p = feats[0]["properties"]
            check("report: reported_by = token name, fields as sent",
                  p.get("reported_by") == "amina" and p.get("date_start") == "2016-03-04"
                  and p.get("fatalities") == 2 and p.get("source") == "report"
                  and feats[0]["geometry"]["coordinates"][:2] == [39.6401, -0.4536], json.dumps(p)[:400])

        st, j, raw = srv.request("POST", "/api/ingest?filename=ucdp.csv", csv, token=editor,
                                 headers={"Content-Type": "text/csv"})
        check("POST /api/ingest with an editor token → 200 with a summary",
              st == 200 and isinstance(j, dict) and j.get("read") == 1000, f"{st} {raw[:300]!r}")
        # File names from clients must not choose the folder.
        outside = work / "evil.csv"
        for name in ("../evil.csv", "../../evil.csv", str(outside), "..%2Fevil.csv", ".."):
            q = urllib.parse.quote(name, safe="")
            st, j, raw = srv.request("POST", f"/api/ingest?filename={q}", csv, token=editor,
                                     headers={"Content-Type": "text/csv"})
            check(f"upload filename={name!r} → 200/400 without writing outside the store folder",
                  st in (200, 400) and not outside.exists() and not (work.parent / "evil.csv").exists(),
                  f"{st} {raw[:200]!r}")
        leftovers = [p.name for p in store.parent.iterdir() if p.name.startswith(".upload-")]
        check("no temporary upload files left behind", not leftovers, str(leftovers))

        # Revocation takes effect on the running server.
        run("token", "revoke", "--store", store, "--name", "amina")
        st, j, raw = srv.request("POST", "/api/incidents", body, token=editor,
                                 headers={"Content-Type": "application/json"})
        check("revoked editor token → 401 on POST /api/incidents", st == 401, f"{st} {raw[:200]!r}")
        st, j, raw = srv.request("POST", "/api/ingest?filename=u.csv", csv, token=editor)
        check("revoked editor token → 401 on POST /api/ingest", st == 401, f"{st} {raw[:200]!r}")
    tokens_not_in_plain_text(store, {"amina": editor, "baraka": viewer})


def tokens_not_in_plain_text(store, tokens):
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        hits = []
        for t in tables:
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]
            for c in cols:
                for name, tok in tokens.items():
                    q = f'SELECT count(*) FROM "{t}" WHERE instr(CAST("{c}" AS BLOB), CAST(? AS BLOB)) > 0'
                    try:
                        n = con.execute(q, (tok,)).fetchone()[0]
                    except sqlite3.OperationalError as e:  # virtual tables without the module
                        if "no such module" in str(e):
                            continue
                        raise
                    if n:
                        hits.append(f"{t}.{c} holds {name}'s token")
        check(f"no cell of any of {len(tables)} tables holds a token in plain text", not hits, "; ".join(hits))
        cols = [r[1] for r in con.execute("PRAGMA table_info(tokens)")]
        check("tokens table has a sha256 column", "sha256" in cols, str(cols))
        rows = {r[0]: r[1] for r in con.execute("SELECT name, sha256 FROM tokens")}
        for name, tok in tokens.items():
            h = rows.get(name, "")
            check(f"tokens.sha256 of {name} is 64 hex digits = SHA-256 of the token",
                  re.fullmatch(r"[0-9a-f]{64}", h or "") is not None
                  and h == hashlib.sha256(tok.encode()).hexdigest(), h)
    finally:
        con.close()
    # Nor anywhere in the raw bytes of the store, its WAL or shared-memory file (free pages too).
    for path in (store, Path(f"{store}-wal"), Path(f"{store}-shm")):
        if path.exists():
            data = path.read_bytes()
            found = [name for name, tok in tokens.items() if tok.encode() in data]
            check(f"raw bytes of {path.name} hold no token", not found, ", ".join(found))


def test_bad_parameters(work):
    store = make_store(work, "params.gpkg")
    cases = [
        ("bbox=1,2,3", "bbox"), ("bbox=a,b,c,d", "bbox"), ("bbox=0,10,10,0", "bbox"),
        ("bbox=0,0,181,1", "bbox"), ("bbox=", "bbox"), ("bbox=1,2,3,4,5", "bbox"),
        ("bbox=inf,0,1,1", "bbox"), ("bbox=1e999,0,1,1", "bbox"),
        ("datetime=yesterday", "datetime"), ("datetime=2016-02-30", "datetime"),
        ("datetime=2016-12-31/2016-01-01", "datetime"), ("datetime=2016-01-01/2016-02-01/2016-03-01", "datetime"),
        ("datetime=..", "datetime"), ("datetime=%00", "datetime"),
        ("limit=0", "limit"), ("limit=-1", "limit"), ("limit=abc", "limit"), ("limit=1.5", "limit"),
        ("limit=", "limit"), ("limit=99999999999999999999999", "limit"),
        ("near=abc&within=10", "near"), ("near=1&within=10", "near"), ("near=91,0&within=10", "near"),
        ("near=0,181&within=10", "near"), ("near=0,0", "within"), ("within=10", "near"),
        ("near=0,0&within=-1", "within"), ("near=0,0&within=x", "within"),
        ("from=2016-99-01", "from"), ("from=2016-02-01&to=2016-01-01", "to"),
    ]
    with Server(store) as srv:
        for q, param in cases:
            for endpoint in ("/collections/events/items", "/api/points"):
                if endpoint == "/api/points" and param == "limit":  # /api/points calls it max
                    q, param = q.replace("limit=", "max="), "max"
                st, j, raw = srv.request("GET", f"{endpoint}?{q}")
                check(f"GET {endpoint}?{q} → 400 naming '{param}'", st == 400 and describes(j, param),
                      f"{st} {raw[:200]!r}")
        st, j, raw = srv.request("GET", "/api/stats?by=month&bbox=1,2")
        check("GET /api/stats?by=month&bbox=1,2 → 400 naming 'bbox'", st == 400 and describes(j, "bbox"),
              f"{st} {raw[:200]!r}")
        st, j, raw = srv.request("GET", "/api/timeline?interval=fortnight")
        check("GET /api/timeline?interval=fortnight → 400 naming 'interval'",
              st == 400 and describes(j, "interval"), f"{st} {raw[:200]!r}")
        # Bad JSON bodies → 400 naming the field.
        tok = create_token(store, "writer", "editor")
        for body, field in ((b"{not json", "body"), (b"[1,2]", "body"),
                            (json.dumps({"date": "2016-13-01", "lat": 0, "lon": 0, "event_type": "Battles"}).encode(), "date"),
                            (json.dumps({"date": "2016-01-01", "lat": 95, "lon": 0, "event_type": "Battles"}).encode(), "lat"),
                            (json.dumps({"date": "2016-01-01", "lat": 0, "lon": 0, "event_type": "Picnic"}).encode(), "event_type"),
                            (json.dumps({"date": "2016-01-01", "lat": 0, "lon": 0, "event_type": "Battles", "fatalities": -3}).encode(), "fatalities")):
            st, j, raw = srv.request("POST", "/api/incidents", body, token=tok,
                                     headers={"Content-Type": "application/json"})
            check(f"POST /api/incidents {body[:40]!r} → 400 naming '{field}'",
                  st == 400 and describes(j, field), f"{st} {raw[:200]!r}")


def test_path_traversal(work):
    store = make_store(work, "paths.gpkg")
    web = work / "www" / "dist"
    web.mkdir(parents=True)
    (web / "index.html").write_text("<!doctype html><title>dash</title>")
    secret = "TOP-SECRET-" + os.urandom(8).hex()
    (work / "www" / "secret.txt").write_text(secret)
    (work / "secret.txt").write_text(secret)
    with Server(store, "--web", web) as srv:
        st, _, body = raw_get(srv.port, "/app/index.html")
        check("GET /app/index.html → 200 (the mount works)", st == 200 and b"dash" in body, f"{st}")
        targets = [
            "/app/../../etc/passwd", "/app/../../../../../../etc/passwd", "/app/..%2f..%2fetc/passwd",
            "/app/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/app/%2e%2e/%2e%2e/etc/passwd",
            "/app/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd", "/app/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/app/%252e%252e/%252e%252e/etc/passwd", "/app/..%252f..%252fetc/passwd",
            "/app/....//....//etc/passwd", "/app/..\\..\\etc\\passwd", "/app/..%5c..%5cetc%5cpasswd",
            "/app/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/app/./../secret.txt", "/app/../secret.txt",
            "/app/..%2fsecret.txt", "/app/%2e%2e/secret.txt", "/app/%2e%2e%2fsecret.txt",
            "/app/../../secret.txt", "/app/%2e%2e/%2e%2e/secret.txt", "/app/..;/secret.txt",
            "/app//etc/passwd", "/app/%2fetc%2fpasswd", "/app/..%00/etc/passwd",
            "/app/index.html/../../secret.txt", "/app/dist/../../secret.txt",
            "/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/app/" + "../" * 40 + "etc/passwd",
        ]
        for t in targets:
            try:
                st, _, body = raw_get(srv.port, t)
            except (AssertionError, OSError) as e:
                check(f"GET {t} → 404", False, f"no response: {e}")
                continue
            leaked = b"root:" in body or secret.encode() in body
            check(f"GET {t} → 404, no file contents", st == 404 and not leaked,
                  f"{st}{' LEAKED' if leaked else ''} {body[:120]!r}")
        # The server is still healthy.
        st, _, _ = srv.request("GET", "/api/info")
        check("server still answers after the traversal attempts", st == 200)


def test_oversize_bodies(work):
    store = make_store(work, "big.gpkg")
    editor = create_token(store, "uploader", "editor")
    with Server(store) as srv:  # default --max-upload-mb 1024
        for _ in range(3):
            srv.request("GET", "/collections/events/items?limit=100")
        before = rss_kb(srv.pid)
        # 2 GiB announced; send a few MB at most (stopping as soon as the server answers).
        st, body, sent = streamed_post(srv.port, "/api/ingest?filename=huge.csv", editor,
                                       content_length=2147483648, send_bytes=8 << 20)
        check("POST /api/ingest Content-Length: 2147483648 (editor) → 413", st == 413,
              f"{st} {body[:200]!r} after {sent} bytes sent")
        try:
            check("413 body is a JSON error", json.loads(body).get("code") is not None, body[:200])
        except ValueError:
            check("413 body is a JSON error", False, body[:200])
        time.sleep(0.5)
        after = rss_kb(srv.pid)
        check(f"server RSS grew by < 50 MB on the 2 GiB upload ({before} → {after} kB, {sent >> 20} MB sent)",
              after - before < RSS_BUDGET_KB)
        # The same, answered before any body byte.
        st, body, sent = streamed_post(srv.port, "/api/ingest?filename=huge.csv", editor,
                                       content_length=2147483648, send_bytes=0)
        check("2 GiB Content-Length, headers only → immediate 413", st == 413, f"{st} {body[:200]!r}")
        # 2 MB JSON to /api/incidents (limit 1 MiB).
        big = json.dumps({"date": "2016-01-01", "lat": 0, "lon": 0, "event_type": "Battles",
                          "description": "x" * (2 << 20)}).encode()
        st, body, sent = streamed_post(srv.port, "/api/incidents", editor, content_length=len(big),
                                       send_bytes=len(big), chunk=256 << 10, content_type="application/json")
        check("POST /api/incidents with a 2 MB JSON body → 413", st == 413, f"{st} {body[:200]!r}")
        st, body, sent = streamed_post(srv.port, "/api/incidents", editor, content_length=None,
                                       send_bytes=2 << 20, chunk=256 << 10, content_type="application/json")
        check("POST /api/incidents with a 2 MB chunked JSON body → 413", st == 413, f"{st} {body[:200]!r}")
        # Malformed or overflowing Content-Length: a client error (400/413), never a 500.
        for path in ("/api/incidents", "/api/ingest?filename=x.csv"):
            for cl in ("abc", "99999999999999999999999", "18446744073709551616", "0x10"):
                with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
                    s.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                               f"{editor}\r\nContent-Length: {cl}\r\nConnection: close\r\n\r\n{{}}").encode())
                    try:
                        st, _, body = read_response(s, timeout=10)
                    except (AssertionError, OSError) as e:
                        st, body = None, str(e).encode()
                check(f"POST {path} with Content-Length: {cl} → 400 or 413 (not 5xx)", st in (400, 413),
                      f"{st} {body[:120]!r}")
        st, _, _ = srv.request("GET", "/api/info")
        check("server still answers after the oversize requests", st == 200)
        leftovers = [p.name for p in store.parent.iterdir() if p.name.startswith(".upload-")]
        check("no temporary upload files left behind", not leftovers, str(leftovers))

    with Server(store, "--max-upload-mb", "5") as srv:
        for _ in range(3):
            srv.request("GET", "/collections/events/items?limit=100")
        before = rss_kb(srv.pid)
        st, body, sent = streamed_post(srv.port, "/api/ingest?filename=chunked.csv", editor,
                                       content_length=None, send_bytes=200 << 20)
        check("chunked upload beyond --max-upload-mb 5 → 413", st == 413,
              f"{st} {body[:200]!r} after {sent >> 20} MB")
        check(f"server stopped reading soon after the limit ({sent >> 20} MB sent of 200)",
              sent < 100 << 20)
        time.sleep(0.5)
        after = rss_kb(srv.pid)
        check(f"server RSS grew by < 50 MB on the chunked upload ({before} → {after} kB)",
              after - before < RSS_BUDGET_KB)
        st, body, sent = streamed_post(srv.port, "/api/ingest?filename=six.csv", editor,
                                       content_length=6 << 20, send_bytes=6 << 20)
        check("6 MB Content-Length with --max-upload-mb 5 → 413", st == 413, f"{st} {body[:200]!r}")
        st, j, raw = srv.request("POST", "/api/ingest?filename=ucdp.csv", SAMPLE.read_bytes(), token=editor)
        check("an upload under the limit still works (200)", st == 200, f"{st} {raw[:200]!r}")
        leftovers = [p.name for p in store.parent.iterdir() if p.name.startswith(".upload-")]
        check("no temporary upload files left behind", not leftovers, str(leftovers))


def test_read_token_required(work):
    store = make_store(work, "private.gpkg")
    viewer = create_token(store, "reader", "viewer")
    editor = create_token(store, "chief", "editor")
    web = work / "www2"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>dash</title>")
    with Server(store, "--read-token-required", "--web", web) as srv:
        for path in ("/collections/events/items", "/", "/collections", "/api/info", "/api/points",
                     "/collections/events/items/1", "/api/stats?by=month"):
            st, j, raw = srv.request("GET", path)
            check(f"--read-token-required: GET {path} without a token → 401", st == 401, f"{st} {raw[:120]!r}")
        st, j, raw = srv.request("GET", "/collections/events/items", token="nope")
        check("--read-token-required: unknown token → 401", st == 401, f"{st}")
        st, j, raw = srv.request("GET", "/collections/events/items", token=viewer)
        check("--read-token-required: viewer token → 200", st == 200 and j and j.get("numberMatched") == 1000,
              f"{st} {raw[:120]!r}")
        st, j, raw = srv.request("GET", "/collections/events/items", token=editor)
        check("--read-token-required: editor token → 200", st == 200, f"{st}")
        st, _, body = raw_get(srv.port, "/app/index.html")
        check("--read-token-required: /app/ static files need no token", st == 200, f"{st}")
        run("token", "revoke", "--store", store, "--name", "reader")
        st, j, raw = srv.request("GET", "/collections/events/items", token=viewer)
        check("--read-token-required: revoked viewer token → 401", st == 401, f"{st}")


TESTS = [test_auth_and_writes, test_bad_parameters, test_path_traversal, test_oversize_bodies,
         test_read_token_required]


def main():
    global args
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", type=Path, default=REPO / "build" / "tahadhari")
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temp dir)")
    ap.add_argument("-k", default="", help="run only tests whose name contains this")
    args = ap.parse_args()
    if not Path("/proc/self/status").exists():
        print("SKIP security tests: no /proc (RSS is measured from /proc/<pid>/status)")
        print("0 passed, 0 failed")
        return 77
    if not SAMPLE.exists():
        print(f"SKIP security tests: {SAMPLE} is absent")
        print("0 passed, 0 failed")
        return 77
    if not args.binary.exists():
        print(f"FAIL: no tahadhari binary at {args.binary}")
        print("0 passed, 1 failed")
        return 1
    if args.work:
        shutil.rmtree(args.work, ignore_errors=True)
        args.work.mkdir(parents=True)
        work = args.work.resolve()
    else:
        work = Path(tempfile.mkdtemp(prefix="tahadhari-security-"))
    try:
        for t in TESTS:
            if args.k not in t.__name__:
                continue
            print(f"# {t.__name__}")
            sub = work / t.__name__
            sub.mkdir()
            try:
                t(sub)
            except Exception as e:  # noqa: BLE001 - report and continue with the next test
                check(f"{t.__name__} ran to completion", False, f"{type(e).__name__}: {e}")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
