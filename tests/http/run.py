"""Runs the HTTP suite: every function test_* in tests/http/test_*.py, each given a fresh
`ctx` (ctx.server() starts a server and is cleaned up afterwards). Prints one line per
failure and ends with "http: N passed, M failed".

usage: run.py --bin PATH [--quick] [-k SUBSTRING]"""
import argparse
import importlib.util
import os
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--quick", action="store_true", help="skip tests marked slow")
    ap.add_argument("-k", default="")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    passed = failed = 0
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
            if a.k and a.k not in full:
                continue
            if a.quick and getattr(fn, "slow", False):
                continue
            ctx = Ctx(binary, a.quick)
            failed_before = failed
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
            reports = ctx.sanitizer_reports()
            if reports:
                if failed == failed_before:
                    passed -= 1
                failed += 1
                print("FAIL %s (sanitizer)\n%s" % (full, reports[0]), flush=True)
    print("http: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed or not passed else 0)


def slow(fn):
    fn.slow = True
    return fn


if __name__ == "__main__":
    main()
