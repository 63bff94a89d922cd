"""Escalation of overdue complaints with the clock moved forward: a disposed complaint past its
category's working-day deadline and a new one past the coordinator's 3 working days are flagged
overdue by the complaint-escalate job, each with an "escalated" timeline event, a portal
notification to the supervisor whose grant covers the owner unit (shown on their queue page),
the audit entry and the /metrics gauge; running the job again escalates nothing twice; a new
disposition clears the flag."""
import calendar
import time

from kantor_util import demo_client
from test_pengaduan_handle import events, file_complaint, in_queue, kinds, kpage, kstep, row


def _ms(y, m, d, hh=9, mm=0):
    """Local time (WIB, +07) as UTC milliseconds."""
    return (calendar.timegm((y, m, d, hh, mm, 0)) - 7 * 3600) * 1000


def _wait(pred, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.2)
    return False


def _runs(s):
    rows = s.sql("SELECT runs FROM job_schedule WHERE name = 'complaint-escalate'")
    return rows[0][0] if rows else 0


def _gauge(s):
    for line in s.client().get("/metrics").text.splitlines():
        if line.startswith("pendopo_complaints_overdue "):
            return float(line.split()[1])
    return -1


def test_escalation_with_the_clock_moved_forward(ctx):
    s = ctx.unstarted_server()
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    s.set_clock(_ms(2026, 11, 2))  # Monday 2 November 2026, 09:00 WIB
    s.start()
    disposed, d_nomor, _ = file_complaint(s, s.client(), judul="Sampah tidak diangkut")
    waiting, w_nomor, _ = file_complaint(s, s.client(), judul="Sampah di sungai")
    coord = demo_client(s, "coordinator")
    assert kstep(coord, disposed, "disposisi", {"unit": "dlh"}).status == 303
    due = row(s, disposed, "due_ms")
    assert due > _ms(2026, 11, 2) and not row(s, disposed, "escalated_ms")
    sup_id = s.sql("SELECT a.id FROM account a JOIN account_grant g ON g.account_id = a.id "
                   "WHERE g.role = 'supervisor'")[0][0]

    # A job run before the deadline escalates nothing.
    runs = _runs(s)
    s.set_clock(_ms(2026, 11, 3, 9, 30))
    assert _wait(lambda: _runs(s) > runs), "the escalation job did not run"
    assert "escalated" not in events(s, disposed) and "escalated" not in events(s, waiting)

    # A fortnight later both are past due: escalated once each.
    s.set_clock(_ms(2026, 11, 16, 9))
    assert _wait(lambda: row(s, disposed, "overdue") in (1, True) and row(s, waiting, "overdue") in (1, True)), \
        "the escalation job did not flag the complaints"
    for cid in (disposed, waiting):
        assert events(s, cid).count("escalated") == 1
        assert row(s, cid, "escalated_ms") >= _ms(2026, 11, 16, 9)
        assert s.sql("SELECT COUNT(*) FROM complaint_notification WHERE account_id = ? AND complaint_id = ? "
                     "AND kind = 'escalated'", (sup_id, cid))[0][0] == 1
    assert "complaint.escalate" in [r[0] for r in s.sql("SELECT action FROM audit_log")]

    dlh = demo_client(s, "officer", "dlh")  # old sessions went idle meanwhile
    page = kpage(dlh, disposed)
    assert "TERLAMBAT" in page and "escalated" in kinds(page)
    assert in_queue(dlh, "/kantor/pengaduan?terlambat=1", d_nomor)
    sup = demo_client(s, "supervisor")
    q = sup.get("/kantor/pengaduan")
    assert q.status == 200 and 'id="pemberitahuan"' in q.text
    assert d_nomor in q.text and w_nomor in q.text  # the supervisor's notifications
    assert _wait(lambda: _gauge(s) >= 2), "pendopo_complaints_overdue not counted"

    # The job runs again: nothing is escalated twice.
    runs = _runs(s)
    s.set_clock(_ms(2026, 11, 16, 10))
    assert _wait(lambda: _runs(s) > runs), "the escalation job did not run again"
    for cid in (disposed, waiting):
        assert events(s, cid).count("escalated") == 1
    assert s.sql("SELECT COUNT(*) FROM complaint_notification WHERE account_id = ? AND kind = 'escalated'",
                 (sup_id,))[0][0] >= 2

    # A disposition gives the waiting one a fresh deadline and clears the flag.
    coord = demo_client(s, "coordinator")
    assert kstep(coord, waiting, "disposisi", {"unit": "dlh"}).status == 303
    assert row(s, waiting, "overdue") in (0, False) and not row(s, waiting, "escalated_ms")
    assert row(s, waiting, "due_ms") > _ms(2026, 11, 16, 10)
