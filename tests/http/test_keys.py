"""The personal-data keys: the key file is made on first start (0600 in a 0700 directory), a
server or command given another key file refuses to start and names the key, and `keys rotate`
/ `keys retire` run while a server serves. Re-encryption of stored values is covered at the unit
level (tests/unit/test_keys_store.c), since no product table is registered yet."""
import base64
import hashlib
import os
import shutil
import stat
import tempfile


def fingerprint(key):
    return hashlib.blake2b(key, digest_size=16, person=b"pendopo-fp").hexdigest()


def read_keys(path):
    keys = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, b64 = line.split()
            keys[name] = base64.b64decode(b64)
    return keys


def write_secret(path, text, mode=0o600):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def refused(ctx, data, env):
    s = ctx.unstarted_server(data=data, env=env, demo=False)
    s.start(wait=False)
    rc = s.proc.wait(timeout=30)
    s.stop()
    return rc, s.read_log()


def test_keys_other_file_refused(ctx):
    s = ctx.server()
    s.stop()
    keyfile = os.path.join(s.data, "keys", "master.keys")
    assert mode_of(keyfile) == 0o600
    assert mode_of(os.path.dirname(keyfile)) == 0o700
    keys = read_keys(keyfile)
    assert set(keys) == {"index", "1"}, keys.keys()

    copy = tempfile.mkdtemp(prefix="pd-http-keys-")
    ctx.defer(lambda: shutil.rmtree(copy, ignore_errors=True))
    shutil.copytree(s.data, copy, dirs_exist_ok=True)
    os.unlink(os.path.join(copy, "server.log"))
    other = os.path.join(copy, "other.keys")
    new_key = os.urandom(32)
    write_secret(other, "index %s\n1 %s\n" % (base64.b64encode(os.urandom(32)).decode(),
                                              base64.b64encode(new_key).decode()))
    rc, log = refused(ctx, copy, {"PENDOPO_KEYS": other})
    assert rc == 1, (rc, log)
    assert "key 1" in log, log
    assert fingerprint(keys["1"]) in log and fingerprint(new_key) in log, log
    assert "PENDOPO_KEYS" in log, log
    for k in list(keys.values()) + [new_key]:
        assert base64.b64encode(k).decode() not in log

    # other subcommands refuse it too
    p = s.cli("unit", "list", env={"PENDOPO_DATA": copy, "PENDOPO_KEYS": other}, check=False)
    assert p.returncode == 1 and "key 1" in p.stderr, p

    # a key file others can read is refused with the command that fixes it
    os.chmod(other, 0o644)
    rc, log = refused(ctx, copy, {"PENDOPO_KEYS": other})
    assert rc == 1 and "chmod 600" in log, log

    # a key file that does not exist is not made up for a database that records keys
    missing = os.path.join(copy, "missing.keys")
    rc, log = refused(ctx, copy, {"PENDOPO_KEYS": missing})
    assert rc == 1 and "does not exist" in log, log
    assert not os.path.exists(missing)

    # the copy with its own key file starts and serves
    s3 = ctx.server(data=copy, demo=False)
    assert s3.client().get("/").status == 200


def test_keys_rotate_and_retire(ctx):
    s = ctx.server()
    keyfile = os.path.join(s.data, "keys", "master.keys")
    first = read_keys(keyfile)

    p = s.cli("keys", "rotate")
    # The demo's accounts hold wrapped subject keys: every one is re-wrapped.
    import re
    done = re.findall(r"re-encrypted (\d+) of (\d+)", p.stdout)
    assert done and done[-1][0] == done[-1][1] and int(done[-1][1]) > 0, p.stdout
    keys = read_keys(keyfile)
    assert set(keys) == {"index", "1", "2"}
    assert keys["1"] == first["1"] and keys["index"] == first["index"]
    assert "key 2 (fingerprint %s)" % fingerprint(keys["2"]) in p.stdout, p.stdout
    assert "keys retire 1" in p.stdout, p.stdout
    assert mode_of(keyfile) == 0o600
    assert base64.b64encode(keys["2"]).decode() not in p.stdout + p.stderr

    p = s.cli("keys", "list")
    lines = [l.split("\t") for l in p.stdout.strip().splitlines()[1:]]
    assert lines == [["1", "retiring", fingerprint(keys["1"]), "yes"],
                     ["2", "active", fingerprint(keys["2"]), "yes"]], lines

    p = s.cli("keys", "retire", "2", check=False)
    assert p.returncode == 1 and "current key" in p.stderr, p
    p = s.cli("keys", "retire", "9", check=False)
    assert p.returncode == 1 and "not recorded" in p.stderr, p
    p = s.cli("keys", "retire", check=False)
    assert p.returncode == 2, p

    p = s.cli("keys", "retire", "1")
    assert "key 1 retired" in p.stdout, p
    keys = read_keys(keyfile)
    assert set(keys) == {"index", "2"}, keys.keys()
    assert mode_of(keyfile) == 0o600
    assert s.client().get("/").status == 200  # the server kept serving

    # a server with only the new key starts and serves
    s.stop()
    s.start()
    assert s.client().get("/").status == 200

    # a key the operator holds, with its own id
    held = os.urandom(32)
    new_key_file = os.path.join(s.data, "held.key")
    write_secret(new_key_file, "7 %s\n" % base64.b64encode(held).decode())
    p = s.cli("keys", "rotate", "--new-key", new_key_file)
    assert "key 7 (fingerprint %s)" % fingerprint(held) in p.stdout, p.stdout
    assert read_keys(keyfile)["7"] == held
    p = s.cli("keys", "retire", "7", check=False)
    assert p.returncode == 1, p
    s.cli("keys", "retire", "2")
    assert set(read_keys(keyfile)) == {"index", "7"}
