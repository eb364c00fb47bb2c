"""Malformed and hostile requests to the explorer: bad JSON, huge bodies
(declared and chunked), unknown fields, out-of-range values, path tricks,
wrong methods, foreign Host and Origin headers, garbage bytes, oversized
headers and a thousand connections held open.  Each gets a clear error (a
JSON message, or the connection closed), no file outside the page is ever
served, and the server keeps serving and stops cleanly afterwards.

usage: /usr/bin/python3 test_hostile.py QMSIM SOURCE_DIR [ARTEFACTS]
"""
import json
import os
import resource
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402


def fail(msg):
    raise SystemExit("FAIL: " + msg)


def expect(srv, what, path, body, status, words, method=None, headers=None):
    got, hdrs, data = srv.request(path, body, method=method, headers=headers)
    text = data.decode("utf-8", "replace")
    if got != status:
        fail("%s: status %d, expected %d: %s" % (what, got, status, text[:300]))
    if "root:" in text:
        fail("%s: the reply holds a system file" % what)
    if words:
        try:
            msg = " ".join(json.loads(text)["errors"])
        except (ValueError, KeyError):
            fail("%s: the reply is not a JSON error: %r" % (what, text[:200]))
        if words not in msg:
            fail("%s: %r not in the message %r" % (what, words, msg))
        return msg
    return text


def raw(port, data, read=True, timeout=10):
    """Sends bytes on a fresh connection; the reply's first line ('' when
    the server closed the connection)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        if not read:
            return s
        got = b""
        while b"\r\n" not in got:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
        return got.split(b"\r\n")[0].decode("latin-1")
    except (ConnectionResetError, BrokenPipeError):
        return ""
    except socket.timeout:
        return "no answer yet (still waiting for a request)"
    finally:
        if read:
            s.close()


def alive(srv, what):
    t0 = time.time()
    status, st = srv.json("/api/status", timeout=30)
    if status != 200 or not st["ok"]:
        fail("the server stopped serving after %s" % what)
    return time.time() - t0


def session(srv):
    status, r = srv.json("/api/session", {})
    if status != 200:
        fail("no session: %s" % r)
    return r["session"]


def requests_checks(srv):
    sid, fresh = session(srv), session(srv)
    setup = lambda **kw: dict({"session": sid, "scenario": "teaching/relational",
                               "arms": [{}]}, **kw)
    cases = [
        ("bad JSON", "/api/setup", b"{bad json", 400, "not valid JSON"),
        ("empty body", "/api/setup", b"", 400, "empty"),
        ("not an object", "/api/setup", b"[1,2]", 400, "must be a JSON object"),
        ("binary body", "/api/setup", bytes(range(256)), 400, "not valid JSON"),
        ("deep nesting", "/api/setup", b"[" * 5000 + b"]" * 5000, 400, "deeper"),
        ("unknown field", "/api/setup", setup(extra=1), 400, "unknown field 'extra'"),
        ("unknown key", "/api/setup", setup(arms=[{"set": {"policy.tender_presure": 1}}]), 400,
         "did you mean 'policy.tender_pressure'"),
        ("out of range", "/api/setup", setup(arms=[{"set": {"policy.tender_pressure": 2}}]), 400,
         "out of range [0, 1]"),
        ("a wrong type", "/api/setup", setup(arms=[{"set": {"policy.open_market": "maybe"}}]),
         400, "expected true or false"),
        ("months 0", "/api/setup", setup(months=0), 400, "between 1 and 600"),
        ("months too many", "/api/setup", setup(months=10 ** 9), 400, "between 1 and 600"),
        ("a negative seed", "/api/setup", setup(seed=-5), 400, "between 0"),
        ("a reorganisation after the end", "/api/setup",
         setup(arms=[{"reorganisation": {"month": 500}}]), 400, "not within the run"),
        ("a scenario too large", "/api/setup", setup(scenario="national"), 400, "use qmsim run"),
        ("a path as scenario", "/api/setup", setup(scenario="../../../../etc/passwd"), 400,
         "never a file path"),
        ("an absolute path", "/api/setup", setup(scenario="/etc/passwd"), 400, "never a file path"),
        ("a file name", "/api/setup", setup(scenario="baseline.cfg"), 400, "never a file path"),
        ("a sweep file", "/api/setup", setup(scenario="sweeps/ishigami"), 400,
         "no scenario called"),
        ("a path in a key", "/api/setup", setup(arms=[{"set": {"../../etc/passwd": 1}}]), 400,
         "only letters"),
        ("an include", "/api/setup", setup(arms=[{"set": {"name": "@include \"/etc/passwd\""}}]),
         None, None),
        ("an unknown session", "/api/setup",
         dict(setup(), session="0" * 32), 410, "press Setup"),
        ("step before setup", "/api/step", {"session": fresh}, 409, "press Setup first"),
        ("step too many months", "/api/step", {"session": sid, "months": 10 ** 6}, 400,
         "between 1 and 120"),
        ("close twice", "/api/close", {"session": "f" * 32}, 410, "ended"),
    ]
    for what, path, body, status, words in cases:
        if status is None:   # any clear refusal or success, never the file
            got, _, data = srv.request(path, body)
            if b"root:" in data or got >= 500:
                fail("%s: %d %r" % (what, got, data[:200]))
            continue
        expect(srv, what, path, body, status, words)
    print("ok: %d malformed or out-of-range requests each refused with its message" % len(cases))

    paths = ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/api/../../etc/passwd",
             "/explore.js/../../../../etc/passwd", "/index.html", "/share/explore/index.html",
             "/..%2f..%2fetc%2fpasswd", "/chart.js/../../../etc/passwd", "//etc/passwd",
             "/api/download?session=../../etc/passwd", "/api/scenario-file?session=" + sid + "&arm=../x"]
    for p in paths:
        got, _, data = srv.request(p)
        if b"root:" in data or got == 200:
            fail("path %s: %d %r" % (p, got, data[:100]))
    print("ok: %d path tricks answered 404/400, never a file outside the page" % len(paths))

    expect(srv, "DELETE", "/api/setup", None, 405, "takes POST", method="DELETE")
    expect(srv, "POST to a GET", "/api/scenarios", b"{}", 405, "takes GET")
    expect(srv, "PUT a page", "/", b"x", 405, "not allowed", method="PUT")
    expect(srv, "download with no session", "/api/download", None, 400, "names a session")
    expect(srv, "download before setup", "/api/download?session=" + fresh, None, 409,
           "press Setup first")
    expect(srv, "a foreign Host", "/api/status", None, 403, "answers only",
           headers={"Host": "evil.example"})
    expect(srv, "a foreign Origin", "/api/session", b"{}", 403, "own page",
           headers={"Origin": "http://evil.example"})
    print("ok: wrong methods, a foreign Host (DNS rebinding) and a foreign Origin are refused")


def big_bodies(srv):
    # Declared: refused from the headers, before the body is read.
    t0 = time.time()
    line = raw(srv.port, b"POST /api/setup HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n")
    if "413" not in line:
        fail("a declared 1 GB body: %r" % line)
    # Sent: a body larger than the limit, all at once.
    got, _, data = srv.request("/api/setup", b"{\"a\":\"" + b"x" * (200 * 1024) + b"\"}")
    if got != 413 or b"larger than" not in data:
        fail("a 200 KiB body: %d %r" % (got, data[:200]))
    # Chunked, without a length.
    s = raw(srv.port, b"POST /api/setup HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n", read=False)
    reply = b""
    try:
        chunk = b"x" * 8192
        for _ in range(64):
            s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        s.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        reply = s.recv(4096)
    except (ConnectionResetError, socket.timeout):
        pass
    s.close()
    if reply and b"413" not in reply.split(b"\r\n")[0]:
        fail("a 512 KiB chunked body: %r" % reply[:100])
    print("ok: bodies over the limit (declared 1 GB, sent 200 KiB, chunked 512 KiB) refused "
          "with 413 in %.2f s" % (time.time() - t0))


def garbage(srv):
    lines = [raw(srv.port, bytes(range(256)) * 4), raw(srv.port, b"\r\n\r\n", timeout=2),
             raw(srv.port, b"GET / HTTP/9.9\r\n\r\n"),
             raw(srv.port, b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
             raw(srv.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: " + b"y" * 200000 + b"\r\n\r\n")]
    for l in lines:
        if l.startswith("HTTP/1.1 200"):
            fail("garbage was answered 200: %r" % l)
    alive(srv, "garbage")
    print("ok: garbage bytes, a bad version, a 100 KB URL and a 200 KB header: %s"
          % "; ".join(l or "closed" for l in lines))


def connections(srv, n=1000):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 200), hard))
    held = []
    try:
        for i in range(n):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")   # never finished
            held.append(s)
        took = alive(srv, "%d open connections" % n)
        sid = session(srv)
        status, r = srv.json("/api/setup", {"session": sid, "scenario": "teaching/relational",
                                            "arms": [{}]})
        if status != 200:
            fail("setup with %d connections open: %s" % (n, r))
        status, _, data = srv.request("/api/step", {"session": sid, "months": 3})
        if status != 200 or data.count(b"\n") != 4:
            fail("a step with %d connections open: %d %r" % (n, status, data[:200]))
    finally:
        for s in held:
            s.close()
    alive(srv, "closing them")
    print("ok: %d connections held open with half a request: the server still answers (%.2f s) "
          "and runs a session" % (n, took))


def main():
    qmsim = os.path.abspath(sys.argv[1])
    srv = cdp.Server(qmsim)
    t0 = time.time()
    try:
        requests_checks(srv)
        big_bodies(srv)
        garbage(srv)
        connections(srv)
        alive(srv, "everything")
    finally:
        rc, err = srv.stop()
    if rc != 0 or "Sanitizer" in err or "runtime error" in err:
        fail("qmsim explore exited %d: %s" % (rc, err[-2000:]))
    print("ok: the server kept serving and stopped cleanly (%.1f s)" % (time.time() - t0))


if __name__ == "__main__":
    main()
