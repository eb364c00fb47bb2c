#!/bin/sh
# reliability_pipes.sh: a reader that goes away (`| head`, a closed
# terminal, SIGHUP) stops the printing, not the work.  qmsim ignores SIGPIPE and
# SIGHUP: the command finishes, exits 0 and writes its file whole, and
# leaves no temporary file or lock (docs/reliability.md).
# usage: sh reliability_pipes.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
case $Q in /*) ;; *) Q=$(pwd)/$Q ;; esac
case $SRC in /*) ;; *) SRC=$(pwd)/$SRC ;; esac
. "$(dirname "$0")/lib/common.sh"
NAT=$SRC/scenarios/national.cfg
cd "$T" || exit 1

# whole FILE MONTHS WHAT: FILE reads back whole (`qmsim summary` reads every
# dataset first) with MONTHS months, and nothing of its writing is left.
whole() {
    if "$Q" summary "$1" 2>"$T/serr" | head -n1 | grep -q "$2 months"; then
        echo "ok: $3: exit 0, $1 whole ($2 months)"
    else
        echo "FAIL: $3: $1 does not read back whole: $(cat "$T/serr")"; fail=1
    fi
    no_output_left "$1"
}
no_output_left() {
    rest=$(ls -d "$1.lock" "$(dirname "$1")/.$(basename "$1")".*.partial 2>/dev/null)
    [ -z "$rest" ] || { echo "FAIL: left behind: $rest"; fail=1; }
}

# A pipe closed early: `qmsim run --narrate | head -2`.  head reads two
# lines of the story and exits; the run goes on to its horizon.
{ "$Q" run "$NAT" --months 60 --narrate -o narr.h5 2>err; echo $? >rc; } | head -2 >lines
if [ "$(cat rc)" -eq 0 ] && [ "$(wc -l <lines)" -eq 2 ]; then
    whole narr.h5 60 "run --narrate | head -2"
else
    echo "FAIL: run --narrate | head -2: exit $(cat rc), $(wc -l <lines) lines: $(cat err)"
    fail=1
fi
grep -q "qmsim: wrote narr.h5" err || { echo "FAIL: no closing line: $(cat err)"; fail=1; }

# Standard error (the progress and closing lines) to a closed pipe too.
{ "$Q" run "$NAT" --months 60 --narrate -o narr2.h5 2>&1; echo $? >rc; } | head -1 >/dev/null
if [ "$(cat rc)" -eq 0 ]; then whole narr2.h5 60 "run --narrate 2>&1 | head -1"
else echo "FAIL: run --narrate 2>&1 | head -1: exit $(cat rc)"; fail=1; fi

# The comparison table to a closed pipe: the comparison file is written.
{ "$Q" compare "$SRC/scenarios/baseline.cfg" "$SRC/scenarios/market_reform.cfg" -r 3 \
    --months 24 -o cmp.h5 2>err; echo $? >rc; } | head -1 >/dev/null
if [ "$(cat rc)" -eq 0 ] && "$Q" summary cmp.h5 >/dev/null 2>&1; then
    echo "ok: compare -o cmp.h5 | head -1: exit 0, cmp.h5 reads back"
else
    echo "FAIL: compare | head -1: exit $(cat rc): $(cat err)"; fail=1
fi
no_output_left cmp.h5

# SIGHUP (the terminal closed) in the middle of a run: it finishes.  The
# lock exists from before the simulation starts until the file is in place,
# so a signal sent while it exists reaches the run mid-way.
hup() {
    out=$1; shift
    "$@" >/dev/null 2>"$T/err" &
    pid=$!
    i=0
    while [ ! -e "$out.lock" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
    sleep 0.2
    if [ -e "$out.lock" ]; then
        kill -HUP $pid
        mid="mid-way"
    else
        mid="too late: it had finished"
        echo "FAIL: SIGHUP: could not catch $* running"; fail=1
    fi
    wait $pid
    echo $? >"$T/rc"
    echo "$mid" >"$T/mid"
}
hup hup.h5 "$Q" run "$NAT" --months 120 --narrate -o hup.h5
if [ "$(cat rc)" -eq 0 ]; then whole hup.h5 120 "SIGHUP to run $(cat mid)"
else echo "FAIL: SIGHUP to run: exit $(cat rc): $(cat err)"; fail=1; fi

cat >sweep.cfg <<'EOF'
base = "national";
set = ["months=24"];
design = "grid";
replications = 6;
seed = 9;
factors = ( { path = "policy.tender_pressure"; range = [0.0, 1.0]; levels = 2; } );
outcomes = ( { name = "tenders"; series = "decisions_tender"; reduce = "sum"; } );
EOF
hup sw.h5 "$Q" sweep sweep.cfg -o sw.h5
if [ "$(cat rc)" -eq 0 ] && "$Q" compare --from-sweep sw.h5 >/dev/null 2>&1 \
    && [ ! -e sw.h5.journal ]; then
    echo "ok: SIGHUP to sweep $(cat mid): exit 0, sw.h5 reads back, no journal left"
else
    echo "FAIL: SIGHUP to sweep: exit $(cat rc): $(cat err)"; fail=1
fi
no_output_left sw.h5

# The terminal goes away: the command runs on a pseudo-terminal (its
# controlling terminal, stdout and stderr) that is closed once it has
# printed its first line; the kernel sends SIGHUP and every later write
# fails with EIO.  hangup.py QMSIM OUT ARGS...: prints the exit status and
# whether the command was still running when the terminal went away.
cat >hangup.py <<'EOF'
import os, pty, sys
q, out, args = sys.argv[1], sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(q, [q] + args + ["-o", out])
got = b""
while b"\n" not in got and b"\r" not in got:  # a line, or a progress bar
    got += os.read(fd, 100)
done, status = os.waitpid(pid, os.WNOHANG)
when = "late" if done else "mid-way"
os.close(fd)
if not done:
    _, status = os.waitpid(pid, 0)
print(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status), when)
EOF
if [ -x /usr/bin/python3 ]; then
    rc=$(/usr/bin/python3 hangup.py "$Q" tty.h5 run "$NAT" --months 120 --narrate)
    if [ "$rc" = "0 mid-way" ]; then whole tty.h5 120 "run --narrate on a terminal that hangs up"
    else echo "FAIL: run --narrate on a terminal that hangs up: exit $rc"; fail=1; fi
    # A sweep draws its progress bar on the terminal.
    rc=$(/usr/bin/python3 hangup.py "$Q" ttysw.h5 sweep sweep.cfg)
    if [ "$rc" = "0 mid-way" ] && "$Q" compare --from-sweep ttysw.h5 >/dev/null 2>&1; then
        echo "ok: sweep on a terminal that hangs up: exit 0, ttysw.h5 reads back"
    else
        echo "FAIL: sweep on a terminal that hangs up: exit $rc"; fail=1
    fi
    no_output_left ttysw.h5
else
    echo "skip: a terminal that hangs up: no /usr/bin/python3"
fi

[ $fail -eq 0 ] && echo "a closed pipe or terminal stops the printing; the work finishes and is written" \
    || exit 1
