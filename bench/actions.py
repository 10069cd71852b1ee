"""Corrective action deadlines benchmark (``bin/qc bench --only actions``).

Seeds N corrective actions with set-based SQL: every even one is an open supplier
action waiting for the supplier's answer ("supplier_answer" clock), every odd
one is done and waiting for quality's effectiveness verification
("verification" clock), all of them days from due. Times the deadline cron:

1. when none of the clocks is due (median of several runs; target <= 50 ms);
2. when ``--breached`` verification and ``--breached`` supplier answer clocks
   have just gone overdue (the supplier's reminder, the managers' digest
   activities and the chatter notes included; target <= 2 s).

The seeded actions are removed afterwards.
"""

import statistics
import time
from datetime import datetime, timedelta

KINDS = ("supplier_answer", "verification")

# Open supplier actions wait for the answer (due in 5 days), done actions for
# their verification (due in 6 days); both at risk 2 days before.
SEED_SQL = """
WITH actions AS (
    INSERT INTO quality_complaint_action (
        name, title, kind, company_id, state, active, user_id, partner_id, date_deadline,
        date_open, date_done, done_by_id, supplier_state, supplier_contact_id,
        create_uid, create_date, write_uid, write_date)
    SELECT 'BENCH/CA/' || n, 'Bench action ' || n, 'corrective', %(company)s,
        CASE WHEN n %% 2 = 0 THEN 'open' ELSE 'done' END, TRUE, %(user)s,
        CASE WHEN n %% 2 = 0 THEN %(supplier)s END, %(deadline_date)s, %(now)s,
        CASE WHEN n %% 2 = 1 THEN %(now)s END, CASE WHEN n %% 2 = 1 THEN %(user)s END,
        CASE WHEN n %% 2 = 0 THEN 'requested' ELSE 'none' END,
        CASE WHEN n %% 2 = 0 THEN %(supplier)s END,
        1, %(now)s, 1, %(now)s
    FROM generate_series(1, %(count)s) AS n
    RETURNING id, state
), clocks AS (
    SELECT id,
        CASE WHEN state = 'open' THEN 'supplier_answer' ELSE 'verification' END AS kind,
        CASE WHEN state = 'open' THEN 5 ELSE 6 END AS days
    FROM actions
)
INSERT INTO quality_complaint_deadline (
    res_model, res_id, kind, company_id, start, duration, unit, at_risk_percent,
    deadline, at_risk_date, status, next_check, paused_hours, frozen,
    create_uid, create_date, write_uid, write_date)
SELECT 'quality.complaint.action', id, kind, %(company)s, %(now)s, 7, 'days', 30,
    %(now)s + days * interval '1 day', %(now)s + (days - 2) * interval '1 day',
    'on_track', %(now)s + (days - 2) * interval '1 day', 0, FALSE,
    1, %(now)s, 1, %(now)s
FROM clocks
"""


def _time(env, func, repeat=1):
    timings = []
    for _i in range(repeat):
        env.invalidate_all()
        start = time.perf_counter()
        result = func()
        env.flush_all()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), result


def seed_actions(env, count):
    """``count`` corrective actions, half waiting for the supplier, half for quality."""
    cr = env.cr
    now = datetime.utcnow().replace(microsecond=0)
    supplier = env["res.partner"].create(
        {"name": "Bench Supplier", "is_company": True, "email": "quality@bench.example.com"}
    )
    admin = env.ref("base.user_admin")
    env.company.qc_quality_manager_id = admin
    env.flush_all()
    start = time.perf_counter()
    cr.execute(
        SEED_SQL,
        {
            "company": env.company.id,
            "user": admin.id,
            "supplier": supplier.id,
            "deadline_date": (now + timedelta(days=30)).date(),
            "now": now,
            "count": count,
        },
    )
    cr.execute("ANALYZE quality_complaint_action")
    cr.execute("ANALYZE quality_complaint_deadline")
    env.invalidate_all()
    print(
        f"[bench] seeded {count} corrective actions and their clocks"
        f" in {time.perf_counter() - start:.1f} s",
        flush=True,
    )


def make_overdue(env, count):
    """``count`` clocks of each kind went overdue a minute ago (already warned)."""
    now = datetime.utcnow().replace(microsecond=0)
    past = now - timedelta(minutes=1)
    for kind in KINDS:
        env.cr.execute(
            """
            UPDATE quality_complaint_deadline SET deadline = %(past)s, at_risk_date = %(past)s,
                   next_check = %(past)s, warned_date = %(past)s, status = 'at_risk'
             WHERE id IN (SELECT id FROM quality_complaint_deadline
                           WHERE res_model = 'quality.complaint.action' AND kind = %(kind)s
                           ORDER BY res_id LIMIT %(count)s)
            """,
            {"past": past, "count": count, "kind": kind},
        )
    env.invalidate_all()
    return now


def remove_actions(env):
    cr = env.cr
    cr.execute(
        "DELETE FROM quality_complaint_deadline WHERE res_model = 'quality.complaint.action'"
    )
    cr.execute("DELETE FROM quality_complaint_action WHERE name LIKE 'BENCH/CA/%%'")
    cr.commit()


def bench_actions(env, count, overdue):
    """Return result lines: the cron with ``count`` actions' clocks none due, then
    with ``overdue`` of each kind overdue."""
    Deadline = env["quality.complaint.deadline"]
    seed_actions(env, count)
    env.cr.commit()
    try:
        Deadline._cron_check()  # warm the caches
        idle, done = _time(env, Deadline._cron_check, repeat=7)
        assert done == 0, f"{done} clocks were due"
        since = make_overdue(env, overdue)
        seconds, done = _time(env, Deadline._cron_check)
        env.cr.execute(
            """
            SELECT kind, count(*) FROM quality_complaint_deadline
             WHERE res_model = 'quality.complaint.action' AND escalated_date >= %s
             GROUP BY kind
            """,
            (since,),
        )
        escalated = dict(env.cr.fetchall())
        env.cr.execute(
            """
            SELECT count(*) FROM mail_activity
             WHERE res_model = 'quality.complaint.action' AND create_date >= %s
            """,
            (since,),
        )
        activities = env.cr.fetchone()[0]
        env.cr.execute(
            """
            SELECT count(*) FROM mail_message
             WHERE model = 'quality.complaint.action' AND create_date >= %s
            """,
            (since,),
        )
        messages = env.cr.fetchone()[0]
    finally:
        env.cr.rollback()
        remove_actions(env)
    return [
        (
            f"Action deadlines cron, {count} actions ({count // 2} supplier answers"
            f" + {count - count // 2} verifications running), none due",
            f"{idle * 1000:.1f} ms",
            "<= 50 ms",
        ),
        (
            f"Action deadlines cron, {overdue} verifications + {overdue} supplier answers"
            f" overdue ({done} checked; escalated: {escalated.get('verification', 0)}"
            f" verifications, {escalated.get('supplier_answer', 0)} supplier answers;"
            f" {activities} activities, {messages} chatter messages)",
            f"{seconds:.2f} s",
            "<= 2 s",
        ),
    ]
