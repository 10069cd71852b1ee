"""Benchmarks of the complaint SLA, registration and traceability (``bin/qc bench``).

    bin/qc bench [--only sla,followup,actions,register,trace] [--open 100000]
                 [--breached 1000] [--actions 100000] [--register 500] [--mos 200,20000]
                 [--complaints 1000000] [--register-rows 100000] [--keep-db]

On a scratch database (a copy of the dependency template of ``bin/qc test`` when
there is one, with ``quality_complaint`` installed) it seeds N open, graded,
registered complaints with set-based SQL and prints:

1. the SLA cron's time when none of the N open complaints is due (target <= 50 ms);
2. its time when ``--breached`` of them have just breached their deadline
   (escalation activities, e-mails and chatter logs included; target <= 2 s);
3. the registration throughput in complaints per second (Table 1 check,
   grading, deadline on the working calendar and dispatch included; the customer
   messages are queued), the throughput of the cron that then sends them, and
   creating + registering 200 complaints in one batch against creating 200 plain
   helpdesk_mgmt tickets, as a ratio (target <= 2.0);
4. one lot's production traceability tab (``quality_complaint_mrp``) on a database
   with 200 manufacturing orders, then on one with 20,000 (target <= 50 ms, ratio
   <= 1.5; see bench/lot_trace.py).

5. the same cron when the N open complaints also wait for the customer's feedback
   and their 30-day call-back, none due (target <= 50 ms), then when ``--breached``
   feedback and ``--breached`` call-back clocks are overdue (activities for the
   department head included; target <= 2 s).

6. the same cron with ``--actions`` corrective actions waiting for their supplier's
   answer or their effectiveness verification, none due (target <= 50 ms), then
   when ``--breached`` verification and ``--breached`` supplier answer clocks are
   overdue (activities for the quality manager included; target <= 2 s; see
   bench/actions.py).

7. the reports on ``--complaints`` registered complaints over 24 months (with 100,000
   receipts from 100 suppliers and 10,000 supplier actions): the complaint analysis
   pivot month x grade as a complaint manager (target <= 500 ms) beside the same
   grouping on plain helpdesk tickets, the supplier scorecard by supplier (target
   <= 1 s) and the complaint register of ``--register-rows`` complaints as XLSX
   (target <= 15 s, peak memory growth <= 150 MB; see bench/reports.py).

8. rush hour on a real server with 2 and 4 HTTP workers, driven over XML-RPC from
   one thread per customer-service agent: 16 and 32 complaints registered at once
   beside as many plain helpdesk_mgmt tickets (ratio target <= 1.5x), one agent
   alone (target <= 1.3x), remedy executions and registrations while the deadline
   job runs; p50/p95 latency, serialization failures and ERROR lines of the
   server's log (target 0), the daily figures checked afterwards (see bench/load.py).

``--only`` runs some of the sections: ``sla`` (1 and 2), ``register`` (3), ``trace`` (4),
``followup`` (5), ``actions`` (6), ``reports`` (7), ``load`` (8).
"""

import argparse
import configparser
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import psycopg2
from actions import bench_actions
from load import bench_load
from lot_trace import bench_trace
from reports import bench_reports

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("sla", "followup", "actions", "register", "trace", "reports", "load")


def pg_kwargs(conf):
    parser = configparser.ConfigParser()
    parser.read(conf)
    options = parser["options"]
    return {
        key: options[f"db_{key}"]
        for key in ("host", "port", "user", "password")
        if options.get(f"db_{key}")
    }


def newest_template(conf):
    """The newest dependency template database built by ``bin/qc test``, if any."""
    conn = psycopg2.connect(dbname="postgres", **pg_kwargs(conf))
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'qc\\_tpl\\_%%' "
                "ORDER BY oid DESC LIMIT 1"
            )
            row = cr.fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def vacuum(args, tables):
    """VACUUM ANALYZE ``tables`` of the bench database (needs its own connection)."""
    conn = psycopg2.connect(dbname=args.db, **pg_kwargs(args.config))
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(f"VACUUM ANALYZE {tables}")
    finally:
        conn.close()


def odoo_bin(args, *command):
    """Run odoo-bin; ``command`` starts with "db" for the database sub-commands."""
    if command[0] == "db":
        command = ("db", "-c", args.config, *command[1:])
    else:
        command = ("-c", args.config, *command)
    cmd = [sys.executable, str(Path(args.odoo_src) / "odoo-bin"), *command]
    return subprocess.run(cmd, check=False, capture_output=True, text=True)


def build_database(args):
    db = args.db
    odoo_bin(args, "db", "drop", db)
    template = newest_template(args.config)
    if template:
        print(f"[bench] copying template {template} to {db}", flush=True)
        result = odoo_bin(args, "db", "duplicate", template, db)
        if result.returncode:
            sys.exit(f"could not copy {template}: {result.stderr[-2000:]}")
    modules = (
        "quality_complaint,quality_complaint_mrp" if "trace" in args.only else "quality_complaint"
    )
    print(f"[bench] installing {modules} into {db}", flush=True)
    result = odoo_bin(
        args,
        "-d",
        db,
        "-i",
        modules,
        "--stop-after-init",
        "--log-level=warn",
    )
    if result.returncode:
        sys.exit(f"installing the module failed:\n{result.stderr[-3000:]}")


def seed_open_complaints(env, count):
    """N registered, graded, open complaints whose response clock is days from due."""
    cr = env.cr
    general = env.ref("quality_complaint.grade_general")
    team = env.ref("quality_complaint.helpdesk_team_quality_complaints")
    stage = team._get_applicable_stages()[:1]
    partner = env["res.partner"].create({"name": "Bench Customer", "email": "b@example.com"})
    calendar = env.company._qc_sla_calendar()
    now = datetime.utcnow()
    start = time.perf_counter()
    values = {
        "company": env.company.id,
        "team": team.id,
        "stage": stage.id,
        "partner": partner.id,
        "grade": general.id,
        "calendar": calendar.id or None,
        "hours": general.response_hours,
        "now": now,
        "deadline": now + timedelta(days=3),
        "at_risk": now + timedelta(days=2),
        "count": count,
    }
    cr.execute(
        """
        WITH tickets AS (
            INSERT INTO helpdesk_ticket (
                number, name, description, company_id, team_id, stage_id, partner_id,
                partner_name, partner_email, active, priority, sequence, unattended,
                last_stage_update, is_quality_complaint, complaint_state, registered_date,
                affected_qty, impact_level, grade_id, grade_auto_id, grade_announced_id,
                grade_reasons, response_deadline, sla_status, rating_status,
                create_uid, create_date, write_uid, write_date)
            SELECT 'BENCH' || n, 'Bench complaint ' || n, '<p>Bench</p>', %(company)s,
                %(team)s, %(stage)s, %(partner)s, 'Bench Customer', 'b@example.com', TRUE,
                '1', 10, FALSE, %(now)s, TRUE, 'registered', %(now)s, 1, 'cosmetic',
                %(grade)s, %(grade)s, %(grade)s, 'General: bench', %(deadline)s, 'on_track',
                'stage_change', 1, %(now)s, 1, %(now)s
            FROM generate_series(1, %(count)s) AS n
            RETURNING id
        )
        INSERT INTO quality_complaint_deadline (
            res_model, res_id, kind, company_id, calendar_id, start, duration, unit,
            at_risk_percent, deadline, at_risk_date, status, next_check, paused_hours, frozen,
            create_uid, create_date, write_uid, write_date)
        SELECT 'helpdesk.ticket', id, 'response', %(company)s, %(calendar)s, %(now)s,
            %(hours)s, 'working_hours', 25, %(deadline)s, %(at_risk)s, 'on_track',
            %(at_risk)s, 0, FALSE, 1, %(now)s, 1, %(now)s
        FROM tickets
        """,
        values,
    )
    cr.execute(
        """
        UPDATE helpdesk_ticket t SET sla_deadline_id = d.id
          FROM quality_complaint_deadline d
         WHERE d.res_model = 'helpdesk.ticket' AND d.res_id = t.id AND t.number LIKE 'BENCH%%'
        """
    )
    cr.execute("ANALYZE helpdesk_ticket")
    cr.execute("ANALYZE quality_complaint_deadline")
    env.invalidate_all()
    print(f"[bench] seeded {count} open complaints in {time.perf_counter() - start:.1f} s")


def time_call(env, func, repeat=1):
    timings = []
    for _i in range(repeat):
        env.invalidate_all()
        start = time.perf_counter()
        result = func()
        env.flush_all()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), result


def bench_idle_cron(env):
    Deadline = env["quality.complaint.deadline"]
    Deadline._cron_check()  # warm the caches
    seconds, done = time_call(env, Deadline._cron_check, repeat=7)
    return seconds, done


def bench_breaches(env, count):
    cr = env.cr
    now = datetime.utcnow().replace(microsecond=0)
    past = now - timedelta(minutes=1)
    cr.execute(
        """
        WITH due AS (
            UPDATE quality_complaint_deadline SET deadline = %(past)s, at_risk_date = %(past)s,
                   next_check = %(past)s, warned_date = %(past)s
             WHERE id IN (SELECT sla_deadline_id FROM helpdesk_ticket
                           WHERE number LIKE 'BENCH%%' ORDER BY id LIMIT %(count)s)
            RETURNING res_id
        )
        UPDATE helpdesk_ticket SET response_deadline = %(past)s WHERE id IN (SELECT res_id FROM due)
        """,
        {"past": past, "count": count},
    )
    env.invalidate_all()
    seconds, done = time_call(env, env["quality.complaint.deadline"]._cron_check)
    cr.execute(
        "SELECT count(*) FROM quality_complaint_deadline WHERE status = 'breached'"
        " AND escalated_date IS NOT NULL AND escalated_date >= %s",
        (now,),
    )
    escalated = cr.fetchone()[0]
    return seconds, done, escalated


# The clocks of the feedback and the call-back, and the complaint field holding each.
FOLLOWUP_CLOCKS = {
    "feedback": ("qc_feedback_deadline_id", "working_days", 1, 3),
    "followup": ("qc_followup_deadline_id", "days", 30, 20),
}


def seed_followup_clocks(env):
    """Give each bench complaint a feedback and a call-back clock, days from due."""
    cr = env.cr
    now = datetime.utcnow()
    for kind, (column, unit, duration, days) in FOLLOWUP_CLOCKS.items():
        cr.execute(
            """
            INSERT INTO quality_complaint_deadline (
                res_model, res_id, kind, company_id, start, duration, unit, at_risk_percent,
                deadline, at_risk_date, status, next_check, paused_hours, frozen,
                create_uid, create_date, write_uid, write_date)
            SELECT 'helpdesk.ticket', id, %(kind)s, company_id, %(now)s, %(duration)s, %(unit)s,
                25, %(deadline)s, %(at_risk)s, 'on_track', %(at_risk)s, 0, FALSE,
                1, %(now)s, 1, %(now)s
              FROM helpdesk_ticket WHERE number LIKE 'BENCH%%'
            """,
            {
                "kind": kind,
                "now": now,
                "unit": unit,
                "duration": duration,
                "deadline": now + timedelta(days=days),
                "at_risk": now + timedelta(days=days - 1),
            },
        )
        cr.execute(
            f"""
            UPDATE helpdesk_ticket t SET {column} = d.id
              FROM quality_complaint_deadline d
             WHERE d.res_model = 'helpdesk.ticket' AND d.res_id = t.id AND d.kind = %s
               AND t.number LIKE 'BENCH%%'
            """,
            (kind,),
        )
    cr.execute(
        "UPDATE helpdesk_ticket SET qc_feedback_state = 'sent', qc_followup_state = 'due'"
        " WHERE number LIKE 'BENCH%%'"
    )
    cr.execute("ANALYZE quality_complaint_deadline")
    env.invalidate_all()


def bench_overdue_followups(env, count):
    """``count`` feedback and ``count`` call-back clocks just went overdue."""
    cr = env.cr
    now = datetime.utcnow().replace(microsecond=0)
    past = now - timedelta(minutes=1)
    for kind in FOLLOWUP_CLOCKS:
        cr.execute(
            """
            UPDATE quality_complaint_deadline SET deadline = %(past)s, at_risk_date = %(past)s,
                   next_check = %(past)s, warned_date = %(past)s
             WHERE id IN (SELECT id FROM quality_complaint_deadline WHERE kind = %(kind)s
                           ORDER BY res_id LIMIT %(count)s)
            """,
            {"past": past, "count": count, "kind": kind},
        )
    env.invalidate_all()
    seconds, done = time_call(env, env["quality.complaint.deadline"]._cron_check)
    cr.execute(
        "SELECT count(*) FROM quality_complaint_deadline WHERE kind IN ('feedback', 'followup')"
        " AND escalated_date >= %s",
        (now,),
    )
    return seconds, done, cr.fetchone()[0]


def bench_followup(env, args):
    seed_open_complaints(env, args.open)
    seed_followup_clocks(env)
    env.cr.commit()
    idle, _done = bench_idle_cron(env)
    overdue, _done, escalated = bench_overdue_followups(env, args.breached)
    return [
        (
            f"Feedback + call-back cron, {args.open} open, none due",
            f"{idle * 1000:.1f} ms",
            "<= 50 ms",
        ),
        (
            f"Feedback + call-back cron, {args.breached} + {args.breached} overdue "
            f"({escalated} escalated)",
            f"{overdue:.2f} s",
            "<= 2 s",
        ),
    ]


def complaint_values(env, count):
    """Complete Table-1 values of ``count`` complaints about a bench toaster."""
    product = env["product.product"].create({"name": "Bench Toaster", "type": "consu"})
    category = env.ref("quality_complaint.defect_category_function")
    team = env.ref("quality_complaint.helpdesk_team_quality_complaints")
    customers = env["res.partner"].create(
        [{"name": f"Bench buyer {i}", "email": f"buyer{i}@example.com"} for i in range(50)]
    )
    impacts = ["cosmetic", "minor_function", "main_function", "safety"]
    return [
        {
            "name": f"Bench registration {i}",
            "description": "<p>The toaster stops heating after two minutes, every "
            "time, and the crumb tray gets very hot.</p>",
            "is_quality_complaint": True,
            "team_id": team.id,
            "partner_id": customers[i % len(customers)].id,
            "product_id": product.id,
            "purchase_date": (datetime.utcnow() - timedelta(days=20)).date(),
            "affected_qty": 1,
            "occurrence": "At home, each use.",
            "impact_level": impacts[i % len(impacts)],
            "defect_category_id": category.id,
            "customer_request": "exchange",
        }
        for i in range(count)
    ]


def bench_registration(env, count, batch):
    """Create complete complaints, then time their registration."""
    Ticket = env["helpdesk.ticket"].with_context(mail_notrack=False)
    tickets = Ticket.create(complaint_values(env, count))
    env.flush_all()
    start = time.perf_counter()
    for offset in range(0, count, batch):
        tickets[offset : offset + batch].action_register_complaint()
        env.flush_all()
    seconds = time.perf_counter() - start
    graded = len(tickets.filtered("response_deadline"))
    # What the triggered cron does seconds later, off the user's request.
    start = time.perf_counter()
    env["helpdesk.ticket"]._cron_send_customer_messages()
    env.flush_all()
    messages = time.perf_counter() - start
    # The same complaints graded again from scratch: rules, batch totals, deadline
    # on the working calendar; their activities and customer messages already exist.
    env.cr.execute(
        "UPDATE helpdesk_ticket SET grade_id = NULL, grade_auto_id = NULL WHERE id IN %s",
        (tuple(tickets.ids),),
    )
    env.invalidate_all()
    start = time.perf_counter()
    for offset in range(0, count, batch):
        tickets[offset : offset + batch]._qc_grade()
        env.flush_all()
    grading = time.perf_counter() - start
    return seconds, graded, grading, messages


def bench_against_plain_tickets(env, count):
    """Seconds to create ``count`` plain helpdesk_mgmt tickets in one batch, and to
    create and register as many complaints in one batch (customer e-mails on)."""
    plain_team = env["helpdesk.ticket.team"].create({"name": "Bench plain helpdesk"})
    values = complaint_values(env, count)
    plain = [
        {
            "name": vals["name"],
            "description": vals["description"],
            "partner_id": vals["partner_id"],
            "team_id": plain_team.id,
        }
        for vals in values
    ]
    Ticket = env["helpdesk.ticket"].with_context(mail_notrack=False)
    Ticket.create(plain[:5])  # warm the caches of both paths
    Ticket.create(values[:5]).action_register_complaint()
    env.flush_all()
    rounds = []
    for _round in range(3):
        start = time.perf_counter()
        Ticket.create(plain)
        env.flush_all()
        middle = time.perf_counter()
        Ticket.create(values).action_register_complaint()
        env.flush_all()
        rounds.append((middle - start, time.perf_counter() - middle))
    plain_s = statistics.median(r[0] for r in rounds)
    complaint_s = statistics.median(r[1] for r in rounds)
    return plain_s, complaint_s


def bench_sla(env, args):
    seed_open_complaints(env, args.open)
    env.cr.commit()
    idle, _done = bench_idle_cron(env)
    breach, _done, escalated = bench_breaches(env, args.breached)
    return [
        (f"SLA cron, {args.open} open, none due", f"{idle * 1000:.1f} ms", "<= 50 ms"),
        (
            f"SLA cron, {args.open} open, {args.breached} newly breached ({escalated} escalated)",
            f"{breach:.2f} s",
            "<= 2 s",
        ),
    ]


def bench_register(env, args):
    seconds, graded, grading, messages = bench_registration(env, args.register, args.batch)
    plain_s, complaint_s = bench_against_plain_tickets(env, args.ratio_batch)
    per = 1000.0 / args.ratio_batch
    return [
        (
            f"Registration of {args.register} complaints ({graded} graded, with deadline,"
            " activities; customer messages queued)",
            f"{args.register / seconds:.0f} complaints/s",
            "",
        ),
        (
            f"Customer-message cron: acknowledgements of {args.register} (graded promise)",
            f"{args.register / messages:.0f} complaints/s",
            "",
        ),
        (
            f"Grading + deadline alone, {args.register} registered complaints",
            f"{args.register / grading:.0f} complaints/s",
            "",
        ),
        (
            f"Create + register vs plain helpdesk_mgmt ticket, {args.ratio_batch} in one batch"
            f" ({complaint_s * per:.1f} ms vs {plain_s * per:.1f} ms per ticket)",
            f"{complaint_s / plain_s:.2f}x",
            "<= 2.0x",
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="Odoo config file (from bin/qc)")
    parser.add_argument("--odoo-src", default="/opt/odoo/19.0", help="Odoo source")
    parser.add_argument("--db", default="qc_bench")
    parser.add_argument("--open", type=int, default=100000, help="open complaints to seed")
    parser.add_argument("--breached", type=int, default=1000, help="complaints newly breached")
    parser.add_argument(
        "--actions", type=int, default=100000, help="corrective actions to seed (actions section)"
    )
    parser.add_argument("--register", type=int, default=500, help="complaints to register")
    parser.add_argument("--batch", type=int, default=100, help="complaints per registration call")
    parser.add_argument(
        "--ratio-batch", type=int, default=200, help="tickets per batch of the plain-ticket ratio"
    )
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run, among {', '.join(SECTIONS)} (default: all)",
    )
    parser.add_argument(
        "--mos",
        default="200,20000",
        help="manufacturing orders of the small and the large database (trace section)",
    )
    parser.add_argument(
        "--complaints", type=int, default=1000000, help="complaints to seed (reports section)"
    )
    parser.add_argument(
        "--receipts", type=int, default=100000, help="receipt moves to seed (reports section)"
    )
    parser.add_argument(
        "--supplier-actions",
        type=int,
        default=10000,
        help="supplier corrective actions to seed (reports section)",
    )
    parser.add_argument(
        "--register-rows",
        type=int,
        default=100000,
        help="complaints in the XLSX complaint register (reports section)",
    )
    parser.add_argument("--reuse-db", action="store_true", help="do not rebuild the database")
    parser.add_argument("--keep-db", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    args.odoo_src = os.environ.get("ODOO_SRC") or args.odoo_src
    args.only = {section.strip() for section in args.only.split(",") if section.strip()}
    if not args.only or args.only - set(SECTIONS):
        parser.error(f"--only takes sections among {', '.join(SECTIONS)}")
    small, large = (int(count) for count in args.mos.split(","))
    sys.path.insert(0, args.odoo_src)

    if not args.reuse_db:
        build_database(args)

    import odoo  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", args.config, "--log-level=warn"])
    odoo.netsvc.init_logger()
    registry = Registry(args.db)
    results = []
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        if "sla" in args.only:
            results += bench_sla(env, args)
            cr.rollback()
        if "followup" in args.only:
            if "sla" in args.only:
                cr.execute("DELETE FROM helpdesk_ticket WHERE number LIKE 'BENCH%%'")
                cr.execute("DELETE FROM quality_complaint_deadline")
                cr.commit()
            results += bench_followup(env, args)
            cr.rollback()
        if "actions" in args.only:
            # The complaints' clocks of the sections before stay (none due): deleting
            # 100,000 complaints takes longer than the whole bench.
            results += bench_actions(env, args.actions, args.breached)
            cr.rollback()
        if "register" in args.only:
            results += bench_register(env, args)
            cr.rollback()
        if "trace" in args.only:
            results += bench_trace(env, lambda tables: vacuum(args, tables), small, large)
            cr.rollback()
        if "reports" in args.only:
            results += bench_reports(env, args)
            cr.rollback()
        if "load" in args.only:
            results += bench_load(env, args)
            cr.rollback()
    width = max(len(label) for label, _value, _target in results)
    print()
    for label, value, target in results:
        print(f"{label:<{width}}  {value:>18}   {'target ' + target if target else ''}")
    if not args.keep_db:
        odoo.sql_db.close_db(args.db)
        odoo_bin(args, "db", "drop", args.db)


if __name__ == "__main__":
    main()
