"""The explorer under load on loopback: 50 sessions at once, each setting up
a teaching scenario and stepping it month by month to its end; every one
completes with the same months as the others (no crosstalk between
sessions or threads); the 51st session is refused with a clear message
while they are open; after they close the server's memory is back near
where it started; sessions left open are freed once idle.

usage: /usr/bin/python3 test_load.py QMSIM SOURCE_DIR [ARTEFACTS]
"""
import hashlib
import http.client
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

SESSIONS = 50
MONTHS = 72
SCENARIO = "teaching/transactional"


def fail(msg):
    raise SystemExit("FAIL: " + msg)


class Client:
    """One browser tab: a keep-alive connection and a session."""

    def __init__(self, port):
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def post(self, path, body):
        self.c.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        r = self.c.getresponse()
        return r.status, r.read()

    def run(self, out, i, barrier):
        t0 = time.time()
        status, data = self.post("/api/session", {})
        if status != 200:
            out[i] = ("no session", status, data)
            barrier.wait()
            return
        sid = json.loads(data)["session"]
        status, data = self.post("/api/setup", {"session": sid, "scenario": SCENARIO,
                                                "arms": [{"set": {"policy.tender_mandate": 0.7}}]})
        barrier.wait()   # every session is open: the next one must be refused
        if status != 200:
            out[i] = ("setup", status, data)
            return
        digest, months, lat = hashlib.sha256(), 0, []
        while True:
            t = time.time()
            status, data = self.post("/api/step", {"session": sid, "months": 1})
            lat.append(time.time() - t)
            if status != 200:
                out[i] = ("step", status, data)
                return
            lines = data.decode().splitlines()
            done = json.loads(lines[-1])
            for line in lines[:-1]:
                digest.update(line.encode())
                months += 1
            if done["month"] >= done["months"]:
                break
        out[i] = ("ok", months, digest.hexdigest(), sid, time.time() - t0, lat)

    def close(self, sid):
        return self.post("/api/close", {"session": sid})[0]


def load(srv, shots):
    rss0 = srv.resident()
    out, barrier = [None] * SESSIONS, threading.Barrier(SESSIONS + 1)
    clients = [Client(srv.port) for _ in range(SESSIONS)]
    threads = [threading.Thread(target=c.run, args=(out, i, barrier))
               for i, c in enumerate(clients)]
    t0 = time.time()
    peak = [srv.resident()]
    sampling = [True]

    def sample():
        while sampling[0]:
            peak[0] = max(peak[0], srv.resident())
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    for t in threads:
        t.start()
    barrier.wait()
    status, over = srv.json("/api/session", {})
    if status != 503 or "limit" not in over["errors"][0]:
        fail("the 51st session was not refused clearly: %d %s" % (status, over))
    _, st = srv.json("/api/status")
    for t in threads:
        t.join()
    wall = time.time() - t0
    sampling[0] = False
    sampler.join()
    peak = peak[0]
    bad = [o for o in out if not o or o[0] != "ok"]
    if bad:
        fail("%d of %d sessions did not complete: %s" % (len(bad), SESSIONS, bad[:3]))
    if any(o[1] != MONTHS for o in out):
        fail("months streamed: %s" % sorted(set(o[1] for o in out)))
    if len(set(o[2] for o in out)) != 1:
        fail("the 50 sessions, with the same settings, streamed different months")
    lat = sorted(x for o in out for x in o[5])
    print("ok: %d sessions at once (%d open at the peak), each stepped %d months of %s one "
          "request a month: all complete, identical months; %.1f s in all, step requests "
          "median %.1f ms, 95th percentile %.1f ms, slowest %.1f ms (%d requests, 2 cores "
          "shared by %d clients)" % (SESSIONS, st["sessions"], MONTHS, SCENARIO, wall,
                                     1e3 * lat[len(lat) // 2], 1e3 * lat[int(0.95 * len(lat))],
                                     1e3 * lat[-1], len(lat), SESSIONS))
    print("ok: the 51st session was refused (503): %s" % over["errors"][0])
    for c, o in zip(clients, out):
        if c.close(o[3]) != 200:
            fail("a session could not be closed")
        c.c.close()   # and the tab's connection
    _, st = srv.json("/api/status")
    if st["sessions"] != 0:
        fail("%d sessions left after closing all" % st["sessions"])
    time.sleep(0.5)
    rss1 = srv.resident()
    mib = lambda b: b / 1048576.0
    print("ok: memory: %.1f MiB at the start, %.1f MiB with %d sessions, %.1f MiB after they "
          "closed" % (mib(rss0), mib(peak), SESSIONS, mib(rss1)))
    sanitized = os.environ.get("QMSIM_SANITIZED", "0") not in ("", "0", "OFF", "FALSE")
    if not sanitized and rss1 - rss0 > max(3 << 20, 0.3 * (peak - rss0)):
        fail("memory did not come back: %.1f MiB at the start, %.1f after the sessions closed"
             % (mib(rss0), mib(rss1)))
    with open(os.path.join(shots, "explore-load.txt"), "w") as f:
        f.write("sessions %d months %d wall_s %.2f median_ms %.2f p95_ms %.2f max_ms %.2f "
                "rss0_mib %.1f peak_mib %.1f after_mib %.1f\n"
                % (SESSIONS, MONTHS, wall, 1e3 * lat[len(lat) // 2],
                   1e3 * lat[int(0.95 * len(lat))], 1e3 * lat[-1], mib(rss0), mib(peak),
                   mib(rss1)))


def idle(qmsim):
    srv = cdp.Server(qmsim, "--idle-minutes", "0.02")
    try:
        ids = []
        for _ in range(5):
            ids.append(srv.json("/api/session", {})[1]["session"])
            status, r = srv.json("/api/setup", {"session": ids[-1], "scenario": SCENARIO,
                                                "arms": [{}]})
            if status != 200:
                fail("setup: %s" % r)
        if srv.json("/api/status")[1]["sessions"] != 5:
            fail("five sessions are not open")
        t0 = time.time()
        while srv.json("/api/status")[1]["sessions"] and time.time() - t0 < 10:
            time.sleep(0.2)
        if srv.json("/api/status")[1]["sessions"]:
            fail("idle sessions were not freed")
        status, r = srv.json("/api/step", {"session": ids[0]})
        if status != 410 or "Setup" not in r["errors"][0]:
            fail("a freed session's step: %d %s" % (status, r))
        print("ok: sessions unused for 1.2 s (--idle-minutes 0.02) were freed after %.1f s; "
              "their page is told to press Setup (410)" % (time.time() - t0))
    finally:
        rc, err = srv.stop()
    if rc != 0:
        fail("qmsim explore exited %d: %s" % (rc, err))


def main():
    qmsim = os.path.abspath(sys.argv[1])
    shots = sys.argv[3] if len(sys.argv) > 3 else os.getcwd()
    os.makedirs(shots, exist_ok=True)
    srv = cdp.Server(qmsim, "--max-sessions", str(SESSIONS))
    try:
        # One session first, so that the start's figure includes what any
        # first use allocates (threads' stacks, the allocator's arenas).
        c = Client(srv.port)
        warm = [None]
        b = threading.Barrier(2)
        th = threading.Thread(target=c.run, args=(warm, 0, b))
        th.start()
        b.wait()
        th.join()
        c.close(warm[0][3])
        c.c.close()
        time.sleep(0.3)
        load(srv, shots)
    finally:
        rc, err = srv.stop()
    if rc != 0:
        fail("qmsim explore exited %d: %s" % (rc, err))
    idle(qmsim)


if __name__ == "__main__":
    main()
