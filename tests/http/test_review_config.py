"""Numeric settings that are ints inside must not wrap around."""
import subprocess


def test_rate_limit_beyond_int_is_refused_not_turned_off(ctx):
    """--rate-limit 4294967296 used to wrap to 0, which means "no rate limit", and the server
    started; --threads 4294967297 wrapped to 1."""
    s = ctx.unstarted_server()
    for args in (["--rate-limit", "4294967296"], ["--threads", "4294967297"]):
        try:
            p = subprocess.run([s.binary, "serve"] + args, env=s.env, capture_output=True,
                               text=True, timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError("serve %s started instead of refusing" % " ".join(args))
        assert p.returncode == 2, (args, p.returncode, p.stderr)
        assert "whole number" in p.stderr, p.stderr
    s.start()  # a sane value still works
    assert s.client().get("/healthz").status == 200
