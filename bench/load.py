"""Rush hour on a real server (``bin/qc bench --only load``).

A bad lot reaches a key account and the customer-service desk registers its
complaints all at once. The bench starts ``odoo-bin`` with HTTP workers on the
bench database (no cron worker: the crons are run on purpose, see below) and
drives it over XML-RPC from threads, one per agent, each logged in as a
customer-service user of its own:

1. a burst of 16 agents (2 workers), then of 32 agents (4 workers), each
   creating and registering a complaint about the same lot of the same sale order
   (the form's Save, then Register: two calls, as in the web client), beside the
   same agents creating a plain helpdesk_mgmt ticket (one Save) in the same run,
   on the same server: wall time of the burst and its ratio (target <= 1.5x),
   p50 / p95 latency per agent;
2. one agent alone, complaint vs plain ticket, median of several (target
   <= 1.3x);
3. a burst of remedy executions (each agent executes the pick-up of its own
   complaint: a return transfer) and of registrations while an administrator runs
   the deadline job (``ir.cron.method_direct_trigger``, as the scheduler would)
   over 300 clocks that are due, again and again during the burst.

Each burst counts what an operator would see: calls that failed, serialization
failures (``could not serialize access``) and ERROR lines in the server's log;
after the bursts, the daily figures of the analysis are compared with a recount
from the tickets.
"""

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from datetime import datetime, timedelta
from pathlib import Path

PASSWORD = "load-bench-2026"
ROUNDS_ALONE = 7


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``odoo-bin`` serving the bench database with ``workers`` HTTP workers."""

    def __init__(self, args, workers):
        self.args = args
        self.workers = workers
        self.port = free_port()
        self.log = Path(tempfile.mkdtemp(prefix="qc_load_")) / "odoo.log"
        self.process = None

    def __enter__(self):
        cmd = [
            sys.executable,
            str(Path(self.args.odoo_src) / "odoo-bin"),
            "-c",
            self.args.config,
            "-d",
            self.args.db,
            f"--db-filter=^{self.args.db}$",
            f"--workers={self.workers}",
            "--max-cron-threads=0",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            "--http-interface=127.0.0.1",
            f"--logfile={self.log}",
            "--log-level=info",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
            "--limit-memory-soft=4294967296",
            "--limit-memory-hard=5368709120",
        ]
        self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                self.proxy("common").version()
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.5)
        sys.exit(f"the server did not start; its log: {self.log}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def proxy(self, service):
        return xmlrpc.client.ServerProxy(
            f"http://127.0.0.1:{self.port}/xmlrpc/2/{service}", allow_none=True
        )

    def log_size(self):
        return self.log.stat().st_size if self.log.exists() else 0

    def log_since(self, offset):
        with open(self.log, encoding="utf-8", errors="replace") as log:
            log.seek(offset)
            return log.read()


def log_alarms(text):
    """(ERROR lines, serialization failures) in a piece of the server's log."""
    errors = len(re.findall(r"^\S+ \S+ \d+ (?:ERROR|CRITICAL) ", text, flags=re.M))
    serialization = text.count("could not serialize access")
    return errors, serialization


class Agent:
    """A customer-service user with a connection of her own."""

    def __init__(self, server, db, login):
        self.db = db
        self.uid = server.proxy("common").authenticate(db, login, PASSWORD, {})
        if not self.uid:
            sys.exit(f"{login} could not log in")
        self.models = server.proxy("object")

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, PASSWORD, model, method, list(args), kwargs
        )


def burst(agents, work):
    """Run ``work(agent, index)`` in one thread per agent, started together.
    Returns (wall seconds, latencies, failures)."""
    barrier = threading.Barrier(len(agents))
    latencies, failures = [], []
    lock = threading.Lock()

    def run(agent, index):
        barrier.wait()
        start = time.perf_counter()
        try:
            work(agent, index)
        except Exception as error:
            with lock:
                failures.append(str(error)[:300])
            return
        with lock:
            latencies.append(time.perf_counter() - start)

    threads = [
        threading.Thread(target=run, args=(agent, index)) for index, agent in enumerate(agents)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, latencies, failures


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def prepare(env, agents):
    """Users, a lot sold to a key account, the teams; committed. Names carry the
    run's tag, so that a kept database (``--reuse-db``) can run it again."""
    from odoo.addons.quality_complaint.tests.common import (  # noqa: PLC0415
        receive_lots,
        sell_and_deliver,
    )

    tag = datetime.utcnow().strftime("%H%M%S")
    company = env.company
    admin = env.ref("base.user_admin")
    admin.password = PASSWORD
    company.qc_quality_manager_id = admin
    group = env.ref("quality_complaint.group_complaint_user")
    users = env["res.users"].create(
        [
            {
                "name": f"Load Agent {index}",
                "login": f"qc_load_agent_{tag}_{index}",
                "password": PASSWORD,
                "email": f"agent{index}@load.example.com",
                "group_ids": [(6, 0, [group.id, env.ref("base.group_user").id])],
            }
            for index in range(agents)
        ]
    )
    vendor = env["res.partner"].create({"name": "Rush Parts Ltd", "is_company": True})
    customer = env["res.partner"].create(
        {"name": "Key Account Stores", "is_company": True, "email": "buyer@key.example.com"}
    )
    product = env["product.product"].create(
        {"name": "Rush Kettle", "type": "consu", "is_storable": True, "tracking": "lot"}
    )
    receive_lots(env, vendor, product, {f"RUSH-{tag}": 5000})
    lot = env["stock.lot"].search([("product_id", "=", product.id)])
    order = sell_and_deliver(env, customer, [(product, 4000, lot, 25.0)])
    plain_team = env["helpdesk.ticket.team"].create(
        {"name": f"Load plain desk {tag}", "user_ids": [(6, 0, users.ids)]}
    )
    team = env.ref("quality_complaint.helpdesk_team_quality_complaints")
    team.user_ids = [(4, user_id) for user_id in users.ids]
    env.cr.commit()
    return {
        "logins": users.mapped("login"),
        "team": team.id,
        "plain_team": plain_team.id,
        "customer": customer.id,
        "product": product.id,
        "lot": lot.id,
        "order": order.id,
        "pickup": env.ref("quality_complaint_remedy.remedy_type_pickup").id,
        "category": env.ref("quality_complaint.defect_category_function").id,
    }


def seed_due_clocks(env, data, count):
    """``count`` open complaints of another customer whose response clock is due."""
    cr = env.cr
    other = env["res.partner"].create({"name": "Cron Customer", "email": "cron@example.com"})
    grade = env.ref("quality_complaint.grade_general")
    stage = env["helpdesk.ticket.team"].browse(data["team"])._get_applicable_stages()[:1]
    past = datetime.utcnow() - timedelta(hours=1)
    cr.execute(
        """
        WITH tickets AS (
            INSERT INTO helpdesk_ticket (
                number, name, description, company_id, team_id, stage_id, partner_id,
                partner_name, partner_email, active, priority, sequence, unattended,
                last_stage_update, is_quality_complaint, complaint_state, registered_date,
                affected_qty, impact_level, grade_id, grade_auto_id, grade_announced_id,
                grade_reasons, response_deadline, sla_status, rating_status, user_id,
                create_uid, create_date, write_uid, write_date)
            SELECT 'LOADCRON' || %(tag)s || n, 'Due complaint ' || n, '<p>Due</p>', %(company)s,
                %(team)s, %(stage)s, %(partner)s, 'Cron Customer', 'cron@example.com', TRUE,
                '1', 10, FALSE, %(past)s, TRUE, 'registered', %(past)s, 1, 'cosmetic',
                %(grade)s, %(grade)s, %(grade)s, 'General: load bench', %(past)s, 'at_risk',
                'stage_change', 2, 1, %(past)s, 1, %(past)s
            FROM generate_series(1, %(count)s) AS n
            RETURNING id
        )
        INSERT INTO quality_complaint_deadline (
            res_model, res_id, kind, company_id, start, duration, unit, at_risk_percent,
            deadline, at_risk_date, status, next_check, paused_hours, frozen, warned_date,
            create_uid, create_date, write_uid, write_date)
        SELECT 'helpdesk.ticket', id, 'response', %(company)s, %(past)s, 1, 'days', 25,
            %(past)s, %(past)s, 'at_risk', %(past)s, 0, FALSE, %(past)s,
            1, %(past)s, 1, %(past)s
        FROM tickets
        """,
        {
            "company": env.company.id,
            "team": data["team"],
            "stage": stage.id,
            "partner": other.id,
            "grade": grade.id,
            "past": past,
            "count": count,
            "tag": datetime.utcnow().strftime("%H%M%S"),
        },
    )
    env.cr.commit()


def complaint_values(data, label):
    return {
        "name": f"Kettle leaks ({label})",
        "description": "<p>The kettle leaks at the base after the first boil.</p>",
        "is_quality_complaint": True,
        "team_id": data["team"],
        "partner_id": data["customer"],
        "sale_order_id": data["order"],
        "product_id": data["product"],
        "lot_ids": [(6, 0, [data["lot"]])],
        "purchase_date": (datetime.utcnow() - timedelta(days=10)).date().isoformat(),
        "affected_qty": 1,
        "occurrence": "At the customer's shop, the first boil.",
        "impact_level": "minor_function",
        "defect_category_id": data["category"],
        "customer_request": "return",
    }


def plain_values(data, label):
    return {
        "name": f"Kettle question ({label})",
        "description": "<p>The kettle leaks at the base after the first boil.</p>",
        "team_id": data["plain_team"],
        "partner_id": data["customer"],
    }


def register(data, registered):
    def work(agent, index):
        ticket = agent.call("helpdesk.ticket", "create", complaint_values(data, f"agent {index}"))
        agent.call("helpdesk.ticket", "action_register_complaint", [ticket])
        registered.append((agent, ticket))

    return work


def plain(data):
    def work(agent, index):
        agent.call("helpdesk.ticket", "create", plain_values(data, f"agent {index}"))

    return work


def execute_pickups(data, tickets):
    def work(agent, index):
        ticket = tickets[index]
        remedy = agent.call(
            "quality.complaint.remedy",
            "create",
            {"ticket_id": ticket, "type_id": data["pickup"], "name": "Pick-up", "quantity": 1},
        )
        agent.call("quality.complaint.remedy", "action_execute", [remedy])

    return work


def measured(server, agents, work):
    offset = server.log_size()
    wall, latencies, failures = burst(agents, work)
    time.sleep(0.5)
    errors, serialization = log_alarms(server.log_since(offset))
    return {
        "wall": wall,
        "latencies": latencies,
        "failures": failures,
        "errors": errors,
        "serialization": serialization,
    }


def describe(result):
    return (
        f"p50 {percentile(result['latencies'], 0.5) * 1000:.0f} ms,"
        f" p95 {percentile(result['latencies'], 0.95) * 1000:.0f} ms;"
        f" {len(result['failures'])} failed, {result['serialization']} serialization"
        f" failures, {result['errors']} ERROR lines"
    )


def figures_exact(env):
    """(complaints in the figures, complaints counted from the tickets)."""
    from odoo.addons.quality_complaint_report.report.complaint_daily import (  # noqa: PLC0415
        figures_source,
    )
    from odoo.tools import SQL  # noqa: PLC0415

    env.cr.execute(SQL("SELECT COALESCE(SUM(complaint_count), 0) FROM %s f", figures_source()))
    kept = env.cr.fetchone()[0]
    env.cr.execute(
        "SELECT count(*) FROM helpdesk_ticket WHERE is_quality_complaint AND active"
        " AND registered_date IS NOT NULL"
    )
    return kept, env.cr.fetchone()[0]


def bench_load(env, args):
    sizes = [(16, 2), (32, 4)]
    data = prepare(env, max(size for size, _workers in sizes))
    seed_due_clocks(env, data, 300)
    results = []
    for size, workers in sizes:
        with Server(args, workers) as server:
            agents = [Agent(server, args.db, login) for login in data["logins"][:size]]
            # warm every worker's caches with both paths
            warm = []
            burst(agents[: workers * 2], register(data, warm))
            burst(agents[: workers * 2], plain(data))
            plain_run = measured(server, agents, plain(data))
            registered = []
            complaint_run = measured(server, agents, register(data, registered))
            ratio = complaint_run["wall"] / plain_run["wall"]
            results += [
                (
                    f"Load: {size} plain tickets at once, {workers} workers"
                    f" ({describe(plain_run)})",
                    f"{plain_run['wall']:.2f} s",
                    "",
                ),
                (
                    f"Load: {size} complaints registered at once (create + register),"
                    f" {workers} workers ({describe(complaint_run)})",
                    f"{complaint_run['wall']:.2f} s",
                    "0 serialization failures, 0 ERROR lines",
                ),
                (
                    f"Load: {size} complaints vs {size} plain tickets at once, {workers} workers",
                    f"{ratio:.2f}x",
                    "<= 1.5x",
                ),
            ]
            # The deadline job runs while agents execute remedies and register.
            admin = Agent(server, args.db, "admin")
            cron = admin.call(
                "ir.model.data",
                "search_read",
                [("module", "=", "quality_complaint"), ("name", "=", "ir_cron_deadline_check")],
                fields=["res_id"],
            )
            stop = threading.Event()
            cron_runs, cron_failures = [], []

            def run_cron(admin=admin, cron=cron, stop=stop, runs=cron_runs, fails=cron_failures):
                while not stop.is_set():
                    try:
                        admin.call("ir.cron", "method_direct_trigger", [cron[0]["res_id"]])
                        runs.append(1)
                    except Exception as error:
                        fails.append(str(error)[:300])

            by_agent = {id(agent): ticket for agent, ticket in registered}
            order = [by_agent[id(agent)] for agent in agents if id(agent) in by_agent]
            offset = server.log_size()
            cron_thread = threading.Thread(target=run_cron) if cron else None
            if cron_thread:
                cron_thread.start()
            executions = measured(server, agents[: len(order)], execute_pickups(data, order))
            more = []
            again = measured(server, agents, register(data, more))
            stop.set()
            if cron_thread:
                cron_thread.join()
            errors, serialization = log_alarms(server.log_since(offset))
            results += [
                (
                    f"Load: {len(order)} remedy executions at once during the deadline job,"
                    f" {workers} workers ({describe(executions)})",
                    f"{executions['wall']:.2f} s",
                    "",
                ),
                (
                    f"Load: {size} registrations at once during the deadline job"
                    f" ({describe(again)}; deadline job ran {len(cron_runs)} times,"
                    f" {len(cron_failures)} failed; log: {serialization} serialization"
                    f" failures, {errors} ERROR lines)",
                    f"{again['wall']:.2f} s",
                    "0 failures, 0 ERROR lines",
                ),
            ]
            # One agent alone, both paths, median of several.
            alone_plain, alone_complaint = [], []
            for _round in range(ROUNDS_ALONE):
                alone_plain.append(burst(agents[:1], plain(data))[0])
                alone_complaint.append(burst(agents[:1], register(data, []))[0])
            single_plain = statistics.median(alone_plain)
            single = statistics.median(alone_complaint)
            results.append(
                (
                    f"Load: one agent alone, complaint vs plain ticket, {workers} workers"
                    f" ({single * 1000:.0f} ms vs {single_plain * 1000:.0f} ms)",
                    f"{single / single_plain:.2f}x",
                    "<= 1.3x",
                )
            )
    env.invalidate_all()
    kept, counted = figures_exact(env)
    results.append(
        (
            f"Load: daily figures after the bursts ({kept} complaints in the figures,"
            f" {counted} counted from the tickets)",
            "exact" if kept == counted else "WRONG",
            "exact",
        )
    )
    return results


if __name__ == "__main__":
    sys.exit(f"run it through bin/qc bench --only load ({os.path.basename(__file__)})")
