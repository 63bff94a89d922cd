"""Tracking numbers drawn twice (issue #8): 40 random bits meet by chance after about a million
filings (the birthday bound), and filing must then draw a new number instead of answering a
conflict. A test build's hook (PENDOPO_TEST_TRACKING_REPEAT=AP) makes every second number of
those kinds repeat the one before it, so every filing after the first meets a taken number:
complaints (the insert draws again) and assisted applications (the submission's update is undone to its
savepoint and tried again with a new number) must still succeed with distinct numbers, as must
information requests (kind K: the insert draws again), on SQLite and PostgreSQL alike."""
from kantor_util import demo_client, file_assisted
from test_informasi import file_request
from test_pengaduan_handle import file_complaint

REPEAT = {"PENDOPO_TEST_TRACKING_REPEAT": "AP"}  # complaints and applications


def test_complaints_draw_again_on_a_taken_number(ctx):
    s = ctx.server(env=REPEAT)
    numbers = []
    for i in range(4):
        c = s.client()
        cid, nomor, _ = file_complaint(s, c, judul="Uji nomor kembar %d" % i)
        numbers.append(nomor)
        row = s.sql("SELECT tracking FROM complaint WHERE id = ?", (cid,))
        assert row and row[0][0] == nomor.replace("-", ""), (row, nomor)
    assert len(set(numbers)) == 4, numbers
    # Each filing is there once: nothing half-written by an attempt that met a taken number.
    n = s.sql("SELECT COUNT(*) FROM complaint WHERE tracking IN (%s)" % ",".join("?" * 4),
              tuple(x.replace("-", "") for x in numbers))[0][0]
    assert n == 4, n
    titles = s.sql("SELECT COUNT(*) FROM complaint WHERE public_title LIKE 'Uji nomor kembar %'")[0][0]
    assert titles == 4, titles


def test_applications_draw_again_on_a_taken_number(ctx):
    s = ctx.server(env=REPEAT)
    desk = demo_client(s, "officer", "desa-mekarsari")
    seen = []
    for nik in ("3219015708900051", "3219015708900052", "3219015708900053"):
        app_id, tracking = file_assisted(s, desk, "sktm", nik=nik)
        seen.append(tracking)
        st = s.sql("SELECT status, tracking FROM application WHERE id = ?", (app_id,))[0]
        assert st[0] == "submitted" and st[1] == tracking.replace("-", ""), st
        # One timeline entry for the submission: the undone attempt left nothing behind.
        ev = s.sql("SELECT COUNT(*) FROM application_event WHERE application_id = ? "
                   "AND kind = 'submitted'", (app_id,))[0][0]
        assert ev == 1, ev
    assert len(set(seen)) == 3, seen


def test_information_requests_draw_again_on_a_taken_number(ctx):
    s = ctx.server(env={"PENDOPO_TEST_TRACKING_REPEAT": "K"})
    cit = demo_client(s, "citizen")
    numbers = []
    for i in range(4):
        rid, nomor, receipt = file_request(s, cit, judul="Uji nomor kembar K %d" % i)
        assert nomor in receipt
        numbers.append(nomor)
        row = s.sql("SELECT tracking FROM inforeq WHERE id = ?", (rid,))
        assert row and row[0][0] == nomor.replace("-", ""), (row, nomor)
        # One "received" entry per request: the attempt that met a taken number left nothing.
        ev = s.sql("SELECT COUNT(*) FROM inforeq_event WHERE inforeq_id = ? AND kind = 'received'",
                   (rid,))[0][0]
        assert ev == 1, ev
    assert len(set(numbers)) == 4, numbers
    n = s.sql("SELECT COUNT(*) FROM inforeq WHERE tracking IN (%s)" % ",".join("?" * 4),
              tuple(x.replace("-", "") for x in numbers))[0][0]
    assert n == 4, n
