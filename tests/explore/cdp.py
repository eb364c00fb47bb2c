"""cdp.py: headless Chromium driven through the DevTools protocol (Debian's
chromium and python3-websocket), and a `qmsim explore` server to test, for
the explorer's tests (tests/explore/).
"""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request

SKIP = 77

# Without the background-networking flags Chromium tries to reach the
# network at start, which a closed machine refuses.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio",
         "--remote-allow-origins=*", "--remote-debugging-port=0", "--hide-scrollbars"]


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        b = shutil.which(name)
        if b:
            return b
    return None


class Server:
    """`qmsim explore` on a free loopback port, stopped with SIGINT."""

    def __init__(self, qmsim, *args, env=None):
        self.proc = subprocess.Popen([qmsim, "explore", "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     universal_newlines=True, env=env)
        line = self.proc.stdout.readline()
        m = re.search(r"http://([^/]+)/", line)
        if not m:
            self.proc.kill()
            raise RuntimeError("qmsim explore did not start: %r %s" % (line, self.proc.stderr.read()))
        self.base = "http://" + m.group(1)
        # Drain stderr all along: a full pipe must not block the server.
        self.err = []
        self.drain = threading.Thread(target=lambda: self.err.append(self.proc.stderr.read()))
        self.drain.start()
        self.port = int(m.group(1).rsplit(":", 1)[1])
        self.banner = line + self.proc.stdout.readline()

    def url(self, path):
        return self.base + path

    def request(self, path, body=None, method=None, headers=None, timeout=60):
        """(status, headers, bytes) of one request."""
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        req = urllib.request.Request(self.url(path), data=data, method=method,
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def json(self, path, body=None, **kw):
        status, _, data = self.request(path, body, **kw)
        return status, json.loads(data.decode())

    def pid(self):
        return self.proc.pid

    def resident(self):
        """Resident memory of the server in bytes (from /proc)."""
        with open("/proc/%d/statm" % self.proc.pid) as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.drain.join()
        return self.proc.returncode, "".join(self.err)


class Browser:
    """One headless Chromium with one page, driven over its DevTools socket."""

    def __init__(self, binary, width=1440, height=1000):
        import websocket  # Debian's python3-websocket
        self.profile = tempfile.mkdtemp(prefix="qmsim-explore-chromium-")
        self.proc = subprocess.Popen(
            [binary] + FLAGS + ["--user-data-dir=" + self.profile,
                                "--window-size=%d,%d" % (width, height), "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        t0 = time.time()
        while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
            if time.time() - t0 > 30 or self.proc.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        time.sleep(0.2)
        port = int(open(port_file).read().split()[0])
        with urllib.request.urlopen("http://127.0.0.1:%d/json" % port, timeout=10) as r:
            pages = [t for t in json.loads(r.read().decode()) if t["type"] == "page"]
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=120,
                                              suppress_origin=True)
        self.next_id = 0
        self.events = []
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def call(self, method, **params):
        self.next_id += 1
        mine = self.next_id
        self.ws.send(json.dumps({"id": mine, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == mine:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            self.events.append(msg)

    def evaluate(self, expr, wait=True):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True,
                      awaitPromise=wait)
        if "exceptionDetails" in r:
            raise RuntimeError("page error in %s: %s" % (expr[:80], r["exceptionDetails"]))
        return r["result"].get("value")

    def until(self, expr, timeout=60, what=None):
        t0 = time.time()
        while time.time() - t0 < timeout:
            v = self.evaluate(expr)
            if v:
                return v
            time.sleep(0.1)
        raise RuntimeError("timed out waiting for %s" % (what or expr))

    def open(self, url):
        self.call("Page.navigate", url=url)
        self.until("document.readyState === 'complete'", what="the page to load")

    def screenshot(self, path, full=True):
        params = {"format": "png"}
        if full:
            m = self.call("Page.getLayoutMetrics")
            size = m.get("cssContentSize") or m["contentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                              "scale": 1}
            params["captureBeyondViewport"] = True
        import base64
        data = self.call("Page.captureScreenshot", **params)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def console_errors(self):
        out = []
        for e in self.events:
            if e.get("method") == "Runtime.exceptionThrown":
                out.append(json.dumps(e["params"]["exceptionDetails"])[:400])
            elif e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error":
                out.append(" ".join(str(a.get("value", a.get("description", "")))
                                    for a in e["params"]["args"])[:400])
        return out

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
