"""What the calibration tests share (test_calibrate.py,
test_calibrate_compare.py): a failure that ends the test with its reason,
and a qmsim command run with its exit status checked."""
import subprocess


def fail(msg):
    raise SystemExit("FAIL: " + msg)


def run_qmsim(qmsim, args, cwd, code=0):
    """Runs qmsim with args in cwd and fails unless it exits with code;
    returns the finished process (stdout and stderr as text)."""
    p = subprocess.run([qmsim] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=600)
    if p.returncode != code:
        fail("qmsim %s exited %d (expected %d)\n%s" % (" ".join(args), p.returncode, code,
                                                       p.stderr))
    return p
