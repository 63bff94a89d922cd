"""Runs the HTTP suite: every function test_* in tests/http/test_*.py, each given a fresh
`ctx` (ctx.server() starts a server and is cleaned up afterwards). Prints one line per
failure and ends with "http: N passed, M failed" (", K skipped" when some were).

With --pg (or PD_HTTP_PG=1), inside the throw-away cluster of pg_virtualenv (PG* variables set,
see scripts/test-http-pg), every data directory gets a fresh PostgreSQL database and servers and
CLI calls run with PENDOPO_DB naming it; the databases are dropped after each test. Tests marked
@sqlite_only are skipped there, tests marked @pg_only everywhere else; the summary line is then
"http-pg: N passed, M failed, K skipped".

With -j N (default: PD_TEST_JOBS, else 1) N tests run at once, each in a process of its own
(forked; its own servers, ports, data directories and databases); each test's lines are printed
together when it ends. Tests marked @serial (they measure time or load, or race threads against
the server) then run one at a time, alone, after the others.

usage: run.py --bin PATH [--quick] [--pg] [-j N] [-k SUBSTRING]...   (several -k: any of them)"""
import argparse
import importlib.util
import os
import tempfile
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lib  # noqa: E402


class Ctx:
    def __init__(self, binary, quick):
        self.binary = binary
        self.quick = quick
        self._cleanup = []
        self.servers = []
        self.pg = lib.PG  # the PgCluster on PostgreSQL runs, else None
        self.backend = lib.backend()

    def server(self, **kw):
        return self.unstarted_server(**kw).start()

    def unstarted_server(self, **kw):
        s = lib.Server(self.binary, **kw)
        self._cleanup.append(s.cleanup)
        self.servers.append(s)
        return s

    def sanitizer_reports(self):
        """Sanitizer findings in the logs of the servers this test started (after they stopped)."""
        found = []
        for s in self.servers:
            log = s.sanitizer_log
            for marker in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"):
                if marker in log:
                    found.append(log[log.index(marker):][:3000])
        return found

    def server_problems(self, limit=12):
        """The warnings and errors its servers logged (after they stopped), for a failed test."""
        found = []
        for s in self.servers:
            found += [ln for ln in s.sanitizer_log.splitlines()
                      if "level=error" in ln or "level=warn" in ln]
        return found[:limit]

    def smtp(self, port=None, start=True):
        s = lib.SMTPServer(port)
        self._cleanup.append(s.cleanup)
        return s.start() if start else s

    def defer(self, fn):
        self._cleanup.append(fn)

    def close(self):
        for fn in reversed(self._cleanup):
            try:
                fn()
            except Exception:
                traceback.print_exc()
        if self.pg:
            self.pg.drop_all()


def run_one(full, fn, binary, quick):
    """Runs one test, printing its lines; returns (passed, failed) to add to the counts."""
    passed = failed = 0
    ctx = Ctx(binary, quick)
    t0 = time.time()
    try:
        fn(ctx)
        passed += 1
        print("ok   %s (%.1fs)" % (full, time.time() - t0), flush=True)
    except Exception:
        failed += 1
        print("FAIL %s" % full, flush=True)
        traceback.print_exc(file=sys.stdout)
    finally:
        ctx.close()
    if failed:
        for line in ctx.server_problems():
            print("     server: %s" % line, flush=True)
    reports = ctx.sanitizer_reports()
    if reports:
        if not failed:
            passed -= 1
        failed += 1
        print("FAIL %s (sanitizer)\n%s" % (full, reports[0]), flush=True)
    sys.stdout.flush()
    return passed, failed


def run_forked(full, fn, binary, quick):
    """Starts run_one in a child process whose output goes to a temporary file; returns
    (pid, file)."""
    out = tempfile.TemporaryFile()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            os.dup2(out.fileno(), 1)
            os.dup2(out.fileno(), 2)
            if lib.PG:  # databases of this process only: its own names, dropped by it
                lib.PG.prefix = "pd_%d_" % os.getpid()
                lib.PG.created, lib.PG.by_data = [], {}
            p, f = run_one(full, fn, binary, quick)
            code = p * 4 + f  # p is 0 or 1, f 0..2
        except BaseException:
            traceback.print_exc(file=sys.stdout)
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    return pid, out


def run_parallel(tests, jobs, binary, quick):
    """Runs tests (a list of (full, fn)) jobs at a time, each forked; prints each test's
    output whole as it ends; returns (passed, failed, the (full, fn) that failed)."""
    passed = failed = 0
    fns, failures = dict(tests), []
    pending, running = list(tests), {}
    while pending or running:
        while pending and len(running) < jobs:
            full, fn = pending.pop(0)
            pid, out = run_forked(full, fn, binary, quick)
            running[pid] = (full, out)
        pid, status = os.wait()
        if pid not in running:
            continue
        full, out = running.pop(pid)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
        out.close()
        code = os.waitstatus_to_exitcode(status)
        if code in (1, 2, 4):  # see run_forked
            passed += code // 4
            failed += code % 4
        else:  # the child died (a signal) or failed outside the test
            failed += 1
            text += "FAIL %s (the test's process ended with %d)\n" % (full, code)
        if code != 4:
            failures.append((full, fns[full]))
        sys.stdout.write(text)
        sys.stdout.flush()
    return passed, failed, failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--quick", action="store_true", help="skip tests marked slow")
    ap.add_argument("--pg", action="store_true", default=os.environ.get("PD_HTTP_PG") == "1",
                    help="run on PostgreSQL (inside pg_virtualenv; PD_HTTP_PG=1 does the same)")
    ap.add_argument("-j", type=int, default=int(os.environ.get("PD_TEST_JOBS") or 1),
                    help="tests at once, each in its own process; @serial ones alone after")
    ap.add_argument("-k", action="append", default=[],
                    help="run only tests whose file::name holds this substring (repeatable)")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    if a.pg:
        try:
            lib.PG = lib.PgCluster()
            lib.PG.psql("SELECT 1")
        except (RuntimeError, lib.PgError, OSError) as e:
            print("run.py --pg: no PostgreSQL: %s" % e, flush=True)
            print("http-pg: 0 passed, 1 failed, 0 skipped")
            sys.exit(1)
    label = "http-pg" if a.pg else "http"
    passed = failed = skipped = 0
    tests = []
    for name in sorted(os.listdir(HERE)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(HERE, name))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for fname in sorted(dir(mod)):
            fn = getattr(mod, fname)
            if not fname.startswith("test_") or not callable(fn):
                continue
            full = "%s::%s" % (name, fname)
            if a.k and not any(k in full for k in a.k):
                continue
            if a.quick and getattr(fn, "slow", False):
                continue
            why = skip_reason(fn, a.pg)
            if why:
                skipped += 1
                print("skip %s (%s)" % (full, why), flush=True)
                continue
            tests.append((full, fn))
    failures = []
    if a.j > 1:
        p, f, failures = run_parallel([t for t in tests if not getattr(t[1], "serial", False)],
                                      a.j, binary, a.quick)
        passed, failed = passed + p, failed + f
        tests = [t for t in tests if getattr(t[1], "serial", False)]
    for full, fn in tests:
        p, f = run_one(full, fn, binary, a.quick)
        passed, failed = passed + p, failed + f
        if f:
            failures.append((full, fn))
    # A test that failed is run once more, alone. One that passes then is counted as passed but
    # named as flaky in the output and the summary (its first failure is in the log above): a
    # test that fails alone too is a failure.
    flaky = []
    for full, fn in failures:
        print("again, alone: %s" % full, flush=True)
        p, f = run_one(full, fn, binary, a.quick)
        if p and not f:
            flaky.append(full)
    passed, failed = passed + len(flaky), failed - len(flaky)
    for full in flaky:
        print("FLAKY %s: failed among others, passed alone" % full, flush=True)
    extra = ", %d flaky" % len(flaky) if flaky else ""
    if a.pg or skipped:
        print("%s: %d passed, %d failed, %d skipped%s" % (label, passed, failed, skipped, extra))
    else:
        print("%s: %d passed, %d failed%s" % (label, passed, failed, extra))
    sys.exit(1 if failed or not passed else 0)


def slow(fn):
    fn.slow = True
    return fn


def serial(fn):
    """Marks a test that measures time or load (rate limits, drain and stop timing, throttles,
    threads racing the server, `start fast`): with -j it runs alone, after the parallel ones."""
    fn.serial = True
    return fn


def sqlite_only(fn):
    """Marks a test of the SQLite file itself (backup/restore of pendopo.db, reading it with
    sqlite3, WAL, kill -9 of the file's writer): skipped on PostgreSQL runs."""
    fn.sqlite_only = True
    return fn


def pg_only(fn):
    """Marks a test that needs PostgreSQL (several nodes on one database): skipped on SQLite."""
    fn.pg_only = True
    return fn


def skip_reason(fn, pg):
    if pg and getattr(fn, "sqlite_only", False):
        return "SQLite only"
    if not pg and getattr(fn, "pg_only", False):
        return "PostgreSQL only"
    return None


if __name__ == "__main__":
    main()
