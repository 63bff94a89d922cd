"""The rate limit counts a signed-in person per account and everyone else per address: many
citizens behind one carrier-grade NAT address do not share one budget."""
from identity_util import signin
from run import serial


@serial
def test_signed_in_clients_have_their_own_budget(ctx):
    s = ctx.server(env={"PENDOPO_RATE_LIMIT": "5"})
    rows = [l.split("\t") for l in open(s.data + "/demo-accounts.txt").read().splitlines()[1:]]
    citizens = [r for r in rows if r[0] == "citizen"]
    a, b = s.client(), s.client()
    assert signin(a, citizens[0][2], citizens[0][3]).status == 303
    assert signin(b, citizens[1][2], citizens[1][3]).status == 303
    statuses = [a.get("/akun").status for _ in range(8)]
    assert statuses[:5] == [200] * 5 and 429 in statuses[5:], statuses
    # Same address, another account: its own budget.
    assert b.get("/akun").status == 200
    # Anonymous clients from that address share the address's budget for the route.
    anon = [s.client().get("/unit").status for _ in range(7)]
    assert anon[:5] == [200] * 5 and anon[5:] == [429, 429], anon
