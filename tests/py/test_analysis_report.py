"""qmsim report: the HTML of a run and of a comparison is self-contained
(no http(s) resources, no scripts, every chart an SVG data: URI that
gnuplot drew, with lines and, in a comparison, bands), holds what the
files hold (scenario names, key outcomes, narrated events), and when
headless Chromium renders it the charts are laid out and visible: each
chart's box on a screenshot has enough non-white and coloured pixels.

Chromium reports each chart's box: a copy of the page with a small script
added is printed with --dump-dom; the screenshot is of the page itself at
the same window size.  The PNG is decoded in pure Python (zlib).

The charts are read as an analyst would paste them into a paper: every
chart's title is its series' label from the metadata table (read through
`qmsim summary --format json --all`, not copied here), its y-axis names a
unit in words (never "1", never an exponent on a tick), counts and money
start from zero, indices run from 0 to 1, money is in £, £k, £m or £bn
with ticks below 1000, the legend sits clear of the x-axis label, and
`--yearly` draws whole years without bands.  The key outcomes print in
their units.

The pages and Chromium's screenshots of them are kept in ARTEFACTS
(default: a scratch directory that is removed) for a reader to look at.

Exits 77 (skipped) when gnuplot or Chromium is missing.

usage: /usr/bin/python3 test_analysis_report.py QMSIM SOURCE_DIR [ARTEFACTS]
"""
import base64
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_analysis_doc as analysis_doc  # noqa: E402

WIDTH, HEIGHT = 1200, 3000
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                  "--window-size=%d,%d" % (WIDTH, HEIGHT)]
MAIN_SERIES = 14    # charts a report draws by default (qm_cmp_main_series)


def fail(msg):
    raise SystemExit("FAIL: " + msg)


def run(cmd, said=None, **kw):
    """Runs cmd; its standard output.  said: what it must print on standard
    error (a report says what it wrote, as every command that writes a file)."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=300, **kw)
    if p.returncode != 0:
        fail("%s exited %d\n%s" % (" ".join(cmd), p.returncode, p.stderr))
    if said is not None and not re.match(said, p.stderr):
        fail("%s printed %r, not %r" % (" ".join(cmd), p.stderr, said))
    return p.stdout


def check_html(path, charts, bands, must):
    """Static checks of a report; returns its text."""
    with open(path, encoding="utf-8") as f:
        html = f.read()
    for bad in ["<script", "<link", "<iframe", "<object", "@import"]:
        if bad in html.lower():
            fail("%s contains %s" % (path, bad))
    refs = re.findall(r"""(?:src|href)\s*=\s*["']?\s*([^"'\s>]+)|url\(\s*["']?([^"')]+)""", html)
    for a, b in refs:
        ref = (a or b).strip().lower()
        if ref.startswith(("http:", "https:", "//", "ftp:")):
            fail("%s references a network resource: %s" % (path, ref[:80]))
        if not ref.startswith(("data:", "#")):
            fail("%s references a file outside itself: %s" % (path, ref[:80]))
    imgs = re.findall(r'<img class="chart"[^>]*src="data:image/svg\+xml;base64,([^"]+)"', html)
    if len(imgs) != charts:
        fail("%s has %d charts, expected %d" % (path, len(imgs), charts))
    for i, b64 in enumerate(imgs):
        svg = base64.b64decode(b64).decode("utf-8")
        root = ET.fromstring(svg[svg.index("<svg"):])
        tags = [el.tag.split("}")[-1] for el in root.iter()]
        if tags.count("path") < 5:
            fail("%s chart %d has only %d paths" % (path, i, tags.count("path")))
        if bands and "fill-opacity" not in svg and "opacity" not in svg:
            fail("%s chart %d has no translucent band" % (path, i))
        if "http://" in svg.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
                'xmlns:xlink="http://www.w3.org/1999/xlink"', ""):
            # Namespace names are identifiers, not resources; anything else is not allowed.
            if re.search(r'(?:href|src)="https?://', svg):
                fail("%s chart %d references a network resource" % (path, i))
    for text in must:
        if text not in html:
            fail("%s does not mention %r" % (path, text))
    return html


def svg_texts(svg):
    """Every text of a gnuplot SVG as (x, y, rotated, text)."""
    out = []
    for m in re.finditer(r'<g transform="translate\(([-\d.]+),([-\d.]+)\)( rotate\([^)]*\))?"'
                         r'[^>]*>\s*<text[^>]*>(.*?)</text>', svg, re.S):
        text = re.sub(r"<[^>]+>", "", m.group(4)).strip()
        text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        out.append((float(m.group(1)), float(m.group(2)), bool(m.group(3)), text))
    return out


def charts_of(html):
    """Each chart of a page as (series name, SVG text)."""
    figs = re.findall(r'<figure id="chart-([^"]+)"><img class="chart"[^>]*'
                      r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    return [(name, base64.b64decode(b64).decode("utf-8")) for name, b64 in figs]


def number(text):
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def check_charts(tag, html, meta, scenarios, yearly=False, months=None):
    """The charts of a page in words and units, with sensible ranges."""
    charts = charts_of(html)
    if not charts:
        fail("%s: no chart carries its series' id" % tag)
    for name, svg in charts:
        m = meta[name]
        texts = svg_texts(svg)
        ylabels = [t for t in texts if t[2]]
        flat = [t for t in texts if not t[2]]
        title = min(flat, key=lambda t: t[1])
        if title[3] != m["label"]:
            fail("%s chart %s: title %r, the metadata's label is %r"
                 % (tag, name, title[3], m["label"]))
        if any(name in t[3] for t in texts):
            fail("%s chart %s shows its series name" % (tag, name))
        if len(ylabels) != 1 or ylabels[0][3] in ("", "1") or "_" in ylabels[0][3]:
            fail("%s chart %s: y-axis label %r" % (tag, name, [t[3] for t in ylabels]))
        ylabel = ylabels[0][3]
        xlabel = [t for t in flat if t[3] in ("month of the run", "year of the run")]
        if len(xlabel) != 1:
            fail("%s chart %s: no x-axis label in words" % (tag, name))
        if (xlabel[0][3] == "year of the run") != yearly:
            fail("%s chart %s: x-axis %r" % (tag, name, xlabel[0][3]))
        xl = xlabel[0]
        # y ticks: numbers left of the plot, x ticks: numbers just above the x label
        nums = [(t, number(t[3])) for t in flat if number(t[3]) is not None]
        yticks = sorted(((t[1], v) for t, v in nums if t[0] < 80), reverse=True)
        xticks = [v for t, v in nums if t[0] >= 40 and xl[1] - 30 < t[1] < xl[1]]
        if len(yticks) < 2:
            fail("%s chart %s: %d y ticks" % (tag, name, len(yticks)))
        for t in texts:
            if re.search(r"\d[eE][+-]?\d", t[3]):
                fail("%s chart %s: a number with an exponent on an axis: %r" % (tag, name, t[3]))
        low, high = yticks[0][1], yticks[-1][1]
        kind = m["kind"]
        if kind == "index" and (low != 0 or high != 1):
            fail("%s chart %s: an index on [%g, %g], not [0, 1]" % (tag, name, low, high))
        if kind in ("count", "money", "months", "amount") and name != "provider_profit":
            if low != 0:
                fail("%s chart %s (%s): the y-axis starts at %g, not 0" % (tag, name, kind, low))
        if kind == "money":
            if not re.match(r"£(k|m|bn)? a (month|year)$", ylabel):
                fail("%s chart %s: money axis %r" % (tag, name, ylabel))
            if high >= 1000:
                fail("%s chart %s: money ticks up to %g %s" % (tag, name, high, ylabel))
        if m["time"] == "flow" and kind != "index" and not ylabel.endswith(
                " a year" if yearly else " a month"):
            fail("%s chart %s: a flow's axis %r does not say per what" % (tag, name, ylabel))
        # The legend: one entry per scenario, below the x-axis label and clear of it.
        keys = [t for t in flat if t[3] in scenarios]
        if len(scenarios) > 1:
            if len(keys) != len(scenarios):
                fail("%s chart %s: legend %r" % (tag, name, [t[3] for t in keys]))
            for k in keys:
                if k[1] - xl[1] < 15:
                    fail("%s chart %s: legend %r %.1f px below the x-axis label (11 px font)"
                         % (tag, name, k[3], k[1] - xl[1]))
        if yearly:
            if "fill-opacity" in svg:
                fail("%s chart %s: a yearly chart with a band" % (tag, name))
            if months and max(xticks) != months // 12:
                fail("%s chart %s: years up to %g, expected %d" % (tag, name, max(xticks),
                                                                   months // 12))
    print("ok: %s: %d charts titled by their labels, axes in units, counts and money from 0, "
          "indices on [0, 1], legends clear of the axis labels" % (tag, len(charts)))


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        b = shutil.which(name)
        if b:
            return b
    return None


def chromium(binary, args, cwd):
    profile = tempfile.mkdtemp(prefix="qmsim-chromium-")
    try:
        p = subprocess.run([binary] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile] + args,
                           cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if p.returncode != 0:
        fail("chromium exited %d:\n%s" % (p.returncode, p.stderr[-2000:]))
    return p.stdout


def chart_boxes(binary, html_path, d):
    """Each chart's box [x, y, w, h, naturalWidth] as Chromium lays it out."""
    with open(html_path, encoding="utf-8") as f:
        html = f.read()
    probe = ("<script>window.addEventListener('load', function () {"
             "var r = []; document.querySelectorAll('img.chart').forEach(function (i) {"
             "var b = i.getBoundingClientRect();"
             "r.push([b.left, b.top + window.scrollY, b.width, b.height, i.naturalWidth]); });"
             "var p = document.createElement('pre'); p.id = 'qmsim-boxes';"
             "p.textContent = JSON.stringify(r); p.style.display = 'none';"
             "document.body.appendChild(p); });</script></body>")
    probed = os.path.join(d, "probe.html")
    with open(probed, "w", encoding="utf-8") as f:
        f.write(html.replace("</body>", probe))
    dom = chromium(binary, ["--dump-dom", "file://" + probed], d)
    m = re.search(r'<pre id="qmsim-boxes"[^>]*>(.*?)</pre>', dom, re.S)
    if not m:
        fail("chromium's DOM has no chart boxes:\n" + dom[-1000:])
    return json.loads(m.group(1))


def read_png(path):
    """Width, height and rows of RGB(A) bytes of an 8-bit, non-interlaced PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s is not a PNG" % path)
    pos, idat = 8, []
    while pos < len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if typ == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif typ == b"IDAT":
            idat.append(body)
    if depth != 8 or ctype not in (2, 6) or interlace:
        fail("%s: unexpected PNG format (depth %d, colour type %d)" % (path, depth, ctype))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    rows, prior = [], bytearray(stride)
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ft == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif ft == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prior))
        elif ft == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prior[i]) >> 1)) & 255
        elif ft == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prior[i]
                c = prior[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prior = line
    return w, h, bpp, rows


def pixels_in(box, png):
    """Non-white and coloured (saturated) pixels inside box on the screenshot."""
    w, h, bpp, rows = png
    x0, y0 = int(box[0]) + 2, int(box[1]) + 2
    x1, y1 = int(box[0] + box[2]) - 2, int(box[1] + box[3]) - 2
    ink = colour = total = 0
    for y in range(y0, min(y1, h)):
        row = rows[y]
        for x in range(x0, min(x1, w)):
            r, g, b = row[x * bpp], row[x * bpp + 1], row[x * bpp + 2]
            total += 1
            if r < 235 or g < 235 or b < 235:
                ink += 1
            if max(r, g, b) - min(r, g, b) > 60:
                colour += 1
    return total, ink, colour


def check_render(binary, html_path, d, min_charts, tag):
    boxes = chart_boxes(binary, html_path, d)
    shot = os.path.join(d, tag + ".png")
    chromium(binary, ["--screenshot=" + shot, "file://" + html_path], d)
    if not os.path.exists(shot):
        fail("chromium wrote no screenshot of %s" % html_path)
    png = read_png(shot)
    if png[0] != WIDTH or png[1] != HEIGHT:
        fail("screenshot is %dx%d, expected %dx%d" % (png[0], png[1], WIDTH, HEIGHT))
    seen = 0
    for i, box in enumerate(boxes):
        if box[2] < 300 or box[3] < 150:
            fail("%s chart %d is laid out %gx%g px" % (tag, i, box[2], box[3]))
        if box[4] <= 0:
            fail("%s chart %d's image did not decode" % (tag, i))
        if box[1] + box[3] > HEIGHT:
            continue      # below the screenshot
        total, ink, colour = pixels_in(box, png)
        if total == 0 or ink < 0.02 * total or colour < 200:
            fail("%s chart %d at %s looks empty: %d of %d pixels inked, %d coloured"
                 % (tag, i, [int(v) for v in box[:4]], ink, total, colour))
        seen += 1
    if seen < min_charts:
        fail("%s: only %d charts fall within the %dx%d screenshot" % (tag, seen, WIDTH, HEIGHT))
    print("ok: %s rendered by chromium: %d charts laid out, %d checked on the screenshot "
          "(each inked and coloured)" % (tag, len(boxes), seen))


def main():
    if len(sys.argv) not in (3, 4):
        raise SystemExit("usage: %s QMSIM SOURCE_DIR [ARTEFACTS]" % sys.argv[0])
    qmsim, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    keep = os.path.abspath(sys.argv[3]) if len(sys.argv) == 4 else None
    gnuplot = os.environ.get("QMSIM_GNUPLOT") or shutil.which("gnuplot")
    if not gnuplot:
        print("skip: gnuplot not found (Debian: gnuplot-nox)")
        sys.exit(analysis_doc.SKIP)
    binary = chromium_binary()
    t0 = time.time()
    if keep:
        shutil.rmtree(keep, ignore_errors=True)
        os.makedirs(keep)
    d = keep or tempfile.mkdtemp(prefix="qmsim-report-test-")
    teach = os.path.join(src, "scenarios", "teaching")
    try:
        run([qmsim, "run", os.path.join(src, "scenarios", "csu_2013.cfg"), "--months", "60",
             "-o", "run.h5", "-q"], cwd=d)
        run([qmsim, "compare", os.path.join(teach, "relational.cfg"),
             os.path.join(teach, "transactional.cfg"), "--replications", "8", "-o", "cmp.h5",
             "-q"], cwd=d)
        run([qmsim, "report", "run.h5", "-o", "run.html"], cwd=d,
            said=r"qmsim: wrote run\.html \(a run of 60 months, 14 charts\)\n$")
        run([qmsim, "report", "cmp.h5", "-o", "cmp.html"], cwd=d,
            said=r"qmsim: wrote cmp\.html \(a comparison of 2 scenarios, 14 charts\)\n$")
        run([qmsim, "report", "cmp.h5", "-o", "yearly.html", "--yearly"], cwd=d,
            said=r"qmsim: wrote yearly\.html \(a comparison of 2 scenarios, 14 charts by year\)\n$")
        meta = json.loads(run([qmsim, "summary", "run.h5", "--format", "json", "--all"],
                              cwd=d))["series"]
        run_html = check_html(os.path.join(d, "run.html"), MAIN_SERIES, False,
                              ["csu_2013", "tender_share", "dependency", "was reorganised",
                               "engaged", "policy.tender_pressure", "The resolved scenario",
                               "Expiring contracts sent to tender"])
        cmp_html = check_html(os.path.join(d, "cmp.html"), MAIN_SERIES, True,
                              ["relational", "transactional", "tender_share", "<i>n.s.</i>",
                               "tender_start", "differs", " pp"])
        yearly_html = check_html(os.path.join(d, "yearly.html"), MAIN_SERIES, False,
                                 ["Year by year", "no bands"])
        print("ok: both reports are self-contained, with %d gnuplot SVG charts each" % MAIN_SERIES)
        # A share prints as a percentage, money in pounds: not 0.5742 or 2e+05.
        if not re.search(r'<td class="num">\d+(\.\d+)?%</td>', cmp_html):
            fail("cmp.html: no key outcome printed as a percentage")
        if "£" not in run_html:
            fail("run.html: no money printed in pounds")
        check_charts("run", run_html, meta, [])
        check_charts("comparison", cmp_html, meta, ["relational", "transactional"])
        check_charts("yearly comparison", yearly_html, meta, ["relational", "transactional"],
                     yearly=True, months=72)
        run([qmsim, "report", "cmp.h5", "-o", "few.html", "--series",
             "trust_mean_provider,decisions_tender"], cwd=d)
        check_html(os.path.join(d, "few.html"), 2, True, ["trust_mean_provider"])
        print("ok: --series chooses the charts")
        if not binary:
            print("skip: Chromium not found (Debian: chromium); the rendering was not checked")
            sys.exit(analysis_doc.SKIP)
        check_render(binary, os.path.join(d, "run.html"), d, 6, "run")
        check_render(binary, os.path.join(d, "cmp.html"), d, 4, "comparison")
        check_render(binary, os.path.join(d, "yearly.html"), d, 4, "yearly")
        if keep:
            print("ok: the pages and their screenshots are in %s" % keep)
    finally:
        if not keep:
            shutil.rmtree(d, ignore_errors=True)
    print("ok: reports checked (%.1f s)" % (time.time() - t0))


if __name__ == "__main__":
    main()
