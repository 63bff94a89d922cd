"""Independent recomputation of the generated open datasets (domain/opendata_gen.c) straight
from the database's clear columns, with Python's own arithmetic: nothing is decrypted and none
of the program's queries is reused. Rows are lists of strings in the CSV's column order
(without the trailing "dibuat" column)."""
import csv
import datetime
import io
from fractions import Fraction

MIN_N = 10
TZ_MS = 7 * 3600 * 1000  # the demo's Asia/Jakarta


def month(ms):
    d = datetime.datetime.fromtimestamp((ms + TZ_MS) / 1000, datetime.timezone.utc)
    return "%04d-%02d" % (d.year, d.month)


def day(ms):
    return (ms + TZ_MS) // 86400000


def half_up(fr):
    return (fr * 2 + 1) // 2


def tenths(fr):
    """A non-negative Fraction as "12.5" (rounded half up to a tenth)."""
    v = half_up(fr * 10)
    return "%d.%d" % (v // 10, v % 10)


def hundredths(v):
    return "%d.%02d" % (v // 100, v % 100)


def parse_csv(data):
    text = data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    return rows[0], rows[1:]


def groups(facts):
    """facts: (month, k1, n1, k2, n2, payload) → {(month, k1, n1, k2, n2): [payload]} with the
    subtotal keys (k2 = "") and totals (k1 = k2 = "") as well."""
    out = {}
    for m, k1, n1, k2, n2, p in facts:
        for key in ((m, k1, n1, k2, n2), (m, k1, n1, "", ""), (m, "", "", "", "")):
            if key[3] is None:
                continue
            out.setdefault(key, []).append(p)
    return out


def applications(s):
    rows = s.sql("SELECT s.slug, s.name, u.slug, u.name, a.submitted_ms, a.status, a.decided_ms, "
                 "a.due_ms FROM application a JOIN service s ON s.id = a.service_id "
                 "JOIN unit u ON u.id = a.unit_id WHERE a.status <> 'draft'")
    facts = []
    for ss, sn, us, un, sub, status, dec, due in rows:
        if sub is None:
            continue
        done = status in ("approved", "rejected") and dec is not None and dec > 0
        ontime = done and due is not None and due > 0 and dec <= due
        facts.append((month(sub), us, un, ss, sn, (done, ontime)))
    out = []
    g = groups(facts)
    for key in sorted(g, key=lambda k: (k[0], k[1], k[3])):
        ps = g[key]
        done = sum(1 for d, _ in ps if d)
        ontime = sum(1 for _, o in ps if o)
        share = tenths(Fraction(100 * ontime, done)) if done >= MIN_N else ""
        out.append([key[0], key[1], key[2], key[3], key[4], str(len(ps)), str(done), str(ontime),
                    share])
    return out


def off_days(s):
    return {datetime.date.fromisoformat(d).toordinal() - datetime.date(1970, 1, 1).toordinal()
            for (d,) in s.sql("SELECT date FROM holiday")}


def working_days_between(a, b, off):
    """Working days in (a, b]: weekdays that are no holiday (1970-01-01 was a Thursday)."""
    return sum(1 for d in range(a + 1, b + 1) if (d + 3) % 7 < 5 and d not in off)


def complaints(s):
    off = off_days(s)
    rows = s.sql("SELECT cc.code, cc.name, p.slug, p.name, c.created_ms, c.answered_ms "
                 "FROM complaint c JOIN complaint_category cc ON cc.id = c.category_id "
                 "LEFT JOIN unit p ON p.id = c.place_unit_id WHERE c.status <> 'merged'")
    facts = []
    for code, name, vs, vn, created, answered in rows:
        t = None
        if answered:
            t = 0 if answered <= created else working_days_between(day(created), day(answered), off)
        facts.append((month(created), code, name, vs if vs else None, vn or "", t))
    g = groups(facts)
    out = []
    for key in sorted(g, key=lambda k: (k[0], k[1], k[3])):
        ts = sorted(t for t in g[key] if t is not None)
        med = ""
        if len(ts) >= MIN_N:
            n = len(ts)
            m = Fraction(ts[n // 2]) if n % 2 else Fraction(ts[n // 2 - 1] + ts[n // 2], 2)
            med = tenths(m)
        out.append([key[0], key[1], key[2], key[3], key[4], str(len(g[key])), str(len(ts)), med])
    return out


def ikm_figures(n, sums):
    if n < MIN_N:
        return ["", ""] + [""] * 9
    total = sum(sums)
    index = half_up(Fraction(2775 * total, 10 * n))
    grade = "A" if index >= 8831 else "B" if index >= 7661 else "C" if index >= 6500 else "D"
    return [hundredths(index), grade] + [hundredths(half_up(Fraction(100 * t, n))) for t in sums]


def ikm(s):
    rows = s.sql("SELECT t.year, t.quarter, u.slug, u.name, t.n, t.t1, t.t2, t.t3, t.t4, t.t5, "
                 "t.t6, t.t7, t.t8, t.t9 FROM survey_tally t JOIN unit u ON u.id = t.unit_id")
    per = {}
    for y, q, us, un, n, *ts in rows:
        for key in ((y, q, us, un), (y, q, "", "")):
            acc = per.setdefault(key, [0] + [0] * 9)
            acc[0] += n
            for i in range(9):
                acc[1 + i] += ts[i]
    out = []
    # per quarter: the units by slug, then the whole installation's row
    for key in sorted(per, key=lambda k: (k[0], k[1], k[2] == "", k[2])):
        n, sums = per[key][0], per[key][1:]
        out.append([str(key[0]), str(key[1]), key[2], key[3], str(n)] + ikm_figures(n, sums))
    return out


OUTCOMES = ("granted", "partly_granted", "refused", "not_held", "forwarded")


def inforeq(s):
    try:
        rows = s.sql("SELECT u.slug, u.name, u.path, i.received_ms, i.due_ms, i.answered_ms, "
                     "i.outcome, i.extension_days, i.objected_ms, i.objection_outcome "
                     "FROM inforeq i JOIN unit u ON u.id = i.unit_id")
    except Exception:  # noqa: BLE001 - the table arrives with migration 0018
        return []
    per = {}
    for us, un, path, rec, due, ans, outcome, ext, obj, oout in rows:
        # the unit's row, and the whole installation's row of the month (after every unit)
        for key in ((0, path, month(rec), us, un), (1, "", month(rec), "", "")):
            add_inforeq(per.setdefault(key, {"n": 0, "ans": 0, "ontime": 0, "ext": 0, "obj": 0,
                                             "up": 0, "over": 0, **{o: 0 for o in OUTCOMES},
                                             "none": 0}),
                        due, ans, outcome, ext, obj, oout)
    out = []
    for key in sorted(per):
        a = per[key]
        share = tenths(Fraction(100 * a["ontime"], a["ans"])) if a["ans"] >= MIN_N else ""
        out.append([key[2], key[3], key[4], str(a["n"]), str(a["ans"]), str(a["ontime"]), share,
                    str(a["ext"])] + [str(a[o]) for o in OUTCOMES] +
                   [str(a["none"]), str(a["obj"]), str(a["up"]), str(a["over"])])
    return out


def add_inforeq(a, due, ans, outcome, ext, obj, oout):
    a["n"] += 1
    if outcome:
        a["ans"] += 1
        a[outcome] += 1
        if ans is not None and ans <= due:
            a["ontime"] += 1
    else:
        a["none"] += 1
    a["ext"] += 1 if ext else 0
    a["obj"] += 1 if obj else 0
    a["up"] += 1 if oout == "upheld" else 0
    a["over"] += 1 if oout == "overturned" else 0


RECOMPUTE = {"applications": applications, "complaints": complaints, "ikm": ikm,
             "inforeq": inforeq}
