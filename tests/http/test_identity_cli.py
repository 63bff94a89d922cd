"""Identity from the command line and the demo: `user add` (with and without a role),
`user grant`, `user list`, `user disable`, and the demo accounts file."""
import os
import stat

from identity_util import STRONG, post_with_csrf, signin


def test_identity_cli_user_add_list_grant_disable(ctx):
    s = ctx.server()
    p = s.cli("user", "add", "--email", "Petugas.Baru@Contoh.id", "--name", "Petugas Baru",
              "--role", "officer", "--unit", "dpupr", stdin=STRONG + "\n")
    account_id = p.stdout.strip().splitlines()[-1]
    assert len(account_id) == 36, p.stdout
    p = s.cli("user", "add", "--email", "warga.cli@contoh.id", "--name", "Warga CLI",
              stdin="kata sandi warga cli\n")
    citizen_id = p.stdout.strip().splitlines()[-1]
    # Refusals: a common password, an unknown unit, a duplicate, a role without a unit.
    assert s.cli("user", "add", "--email", "x@contoh.id", "--name", "X", stdin="123qweasdzxc\n",
                 check=False).returncode == 1
    assert s.cli("user", "add", "--email", "y@contoh.id", "--name", "Y", "--role", "officer",
                 "--unit", "tidak-ada", stdin=STRONG + "\n", check=False).returncode == 1
    assert s.cli("user", "add", "--email", "warga.cli@contoh.id", "--name", "Lagi",
                 stdin=STRONG + "\n", check=False).returncode == 1
    assert s.cli("user", "add", "--email", "z@contoh.id", "--name", "Z", "--role", "officer",
                 stdin=STRONG + "\n", check=False).returncode == 2
    s.cli("user", "grant", "--email", "petugas.baru@contoh.id", "--role", "supervisor",
          "--unit", "kec-cibening")
    assert s.cli("user", "grant", "--email", "petugas.baru@contoh.id", "--role", "raja",
                 "--unit", "sukamaju", check=False).returncode == 2
    out = s.cli("user", "list").stdout.splitlines()
    assert out[0] == "id\tkind\troles\tcreated\temail", out[0]
    rows = {line.split("\t")[4]: line.split("\t") for line in out[1:]}
    by_id = {line.split("\t")[0]: line.split("\t") for line in out[1:]}
    officer = rows["petugas.baru@contoh.id"]
    assert officer[0] == account_id and officer[1] == "staff", officer
    assert sorted(officer[2].split(",")) == ["officer@dpupr", "supervisor@kec-cibening"], officer
    assert "warga.cli@contoh.id" not in "\n".join(out)  # a citizen's email stays sealed
    assert by_id[citizen_id][1:3] == ["citizen", "-"] and by_id[citizen_id][4] == "-"
    assert "admin@sukamaju.example" in rows  # demo staff
    assert "Petugas Baru" not in "\n".join(out)  # names are not an operator's business here
    # The staff account signs in; the citizen's email counts as verified.
    staff = s.client()
    assert signin(staff, "petugas.baru@contoh.id", STRONG).status == 303
    page = staff.get("/akun")
    assert "officer" in page.text and "dpupr" in page.text
    citizen = s.client()
    assert signin(citizen, "warga.cli@contoh.id", "kata sandi warga cli").status == 303
    assert "belum diverifikasi" not in citizen.get("/akun").text.split("<h2")[0]  # the details
    # Disabling ends the sessions and refuses sign-in.
    s.cli("user", "disable", "--email", "warga.cli@contoh.id")
    assert citizen.get("/akun").status == 303
    assert signin(s.client(), "warga.cli@contoh.id", "kata sandi warga cli").status == 422
    assert "citizen,disabled" in s.cli("user", "list").stdout
    assert s.cli("user", "disable", "--email", "tidak.ada@contoh.id", check=False).returncode == 1


def test_identity_demo_accounts_file(ctx):
    s = ctx.server()
    path = os.path.join(s.data, "demo-accounts.txt")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    lines = open(path).read().splitlines()
    assert lines[0] == "role\tunit\temail\tpassword"
    rows = [line.split("\t") for line in lines[1:]]
    roles = {r[0] for r in rows}
    assert roles >= {"citizen", "officer", "coordinator", "supervisor", "moderator", "ppid",
                     "ppid_superior", "administrator", "auditor"}, roles
    assert "demo-accounts.txt" in s.read_log()
    wanted = {("officer", "disdukcapil"), ("auditor", "inspektorat"), ("ppid", "diskominfo"),
              ("administrator", "sukamaju")}
    assert wanted <= {(r[0], r[1]) for r in rows}
    for role, unit, addr, password in rows:
        if role not in ("officer", "citizen", "auditor"):
            continue
        c = s.client()
        assert signin(c, addr, password).status == 303, (role, addr)
        page = c.get("/akun")
        assert page.status == 200 and (role == "citizen" or unit in page.text), page
    # The language switch saves the account's choice: a new session comes up in English.
    role, unit, addr, password = rows[-1]
    c = s.client()
    assert signin(c, addr, password).status == 303
    r = c.get("/akun?lang=en")
    assert r.status == 303 and r.header("Location") == "/akun", r
    fresh = s.client()
    assert signin(fresh, addr, password).status == 303
    assert '<html lang="en">' in fresh.get("/akun").text
    r = post_with_csrf(fresh, "/akun", "/akun/bahasa", {"lang": "id"})
    assert r.status == 303
    assert '<html lang="id">' in s.client().get("/").text
