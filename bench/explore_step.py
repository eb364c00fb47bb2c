"""explore_step.py: how fast `qmsim explore` answers a month step
(bench/README.md, "The explorer's month step").

Starts the explorer on a free loopback port and, for each teaching
scenario (and A against B), sets up a session and steps it to its end one
month per request, as the page's Run does, over one keep-alive connection.
A step's time is the round trip from sending the request to the last byte
of its reply (the month's line and the closing line), so it includes HTTP,
the engine's month, the observer, the JSON and the story.  Setup and the
HDF5 download are timed too.  Prints a table and writes
bench/explore_results.json.

usage: /usr/bin/python3 bench/explore_step.py [BUILD/qmsim] [ROUNDS]
"""
import datetime
import http.client
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time

SCENARIOS = ["teaching/relational", "teaching/transactional", "teaching/reorganisation",
             "teaching/kt_none", "teaching/kt_clause", "baseline"]


def start(qmsim):
    p = subprocess.Popen([qmsim, "explore", "--port", "0"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, universal_newlines=True)
    port = int(re.search(r":(\d+)/", p.stdout.readline()).group(1))
    return p, port


def post(c, path, body):
    t = time.perf_counter()
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    return r.status, data, time.perf_counter() - t


def one(port, scenario, arms):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sid = json.loads(post(c, "/api/session", {})[1])["session"]
    body = {"session": sid, "scenario": scenario, "arms": [{} for _ in range(arms)]}
    if arms == 2:
        body["arms"][1] = {"set": {"policy.tender_pressure": 1}}
    status, data, setup = post(c, "/api/setup", body)
    if status != 200:
        raise SystemExit("setup of %s: %s" % (scenario, data))
    steps, size = [], 0
    while True:
        status, data, t = post(c, "/api/step", {"session": sid, "months": 1})
        if status != 200:
            raise SystemExit("step: %s" % data)
        steps.append(t)
        size += len(data)
        done = json.loads(data.decode().splitlines()[-1])
        if done["month"] >= done["months"]:
            break
    t = time.perf_counter()
    c.request("GET", "/api/download?session=" + sid)
    r = c.getresponse()
    r.read()
    download = time.perf_counter() - t
    post(c, "/api/close", {"session": sid})
    c.close()
    return setup, steps, download, size / len(steps)


def q(xs, f):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(f * len(xs)))]


def main():
    qmsim = sys.argv[1] if len(sys.argv) > 1 else "build/qmsim"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    proc, port = start(qmsim)
    rows = {}
    try:
        for r in range(rounds):
            for scen in SCENARIOS + ["teaching/relational A+B"]:
                name, arms = (scen.split()[0], 2) if scen.endswith("A+B") else (scen, 1)
                setup, steps, dl, size = one(port, name, arms)
                row = rows.setdefault(scen, {"setup": [], "steps": [], "download": [], "bytes": size})
                row["setup"].append(setup)
                row["steps"] += steps
                row["download"].append(dl)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait()
    out = {}
    print("%-28s %8s %8s %8s %8s %9s %10s %9s" % ("scenario", "months", "median", "p95", "max",
                                                "setup", "download", "bytes"))
    for scen, row in rows.items():
        s = row["steps"]
        out[scen] = {"step_requests": len(s), "step_ms_median": 1e3 * q(s, 0.5),
                     "step_ms_p95": 1e3 * q(s, 0.95), "step_ms_max": 1e3 * max(s),
                     "setup_ms_median": 1e3 * q(row["setup"], 0.5),
                     "download_ms_median": 1e3 * q(row["download"], 0.5),
                     "bytes_per_month": row["bytes"]}
        o = out[scen]
        print("%-28s %8d %7.2fms %7.2fms %7.2fms %7.1fms %8.0fms %9.0f" % (
            scen, len(s) // rounds, o["step_ms_median"], o["step_ms_p95"], o["step_ms_max"],
            o["setup_ms_median"], o["download_ms_median"], o["bytes_per_month"]))
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), platform.processor())
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "explore_results.json")
    json.dump({"machine": {"cpu": cpu, "cores": os.cpu_count(), "system": platform.platform()},
               "date": datetime.datetime.utcnow().replace(microsecond=0).isoformat() + "Z",
               "rounds": rounds, "measurements": out}, open(path, "w"), indent=2)
    print("wrote", path)


if __name__ == "__main__":
    main()
