"""Reports benchmark (``bin/qc bench --only reports``).

Seeds N registered complaints with set-based SQL over 24 months, 3 grades, 200
products, 2,000 lots and 100 suppliers (lot and supplier set on the complaint, as
the registration stores them), with their answered / met / breached response
clocks, closing times, remedy costs and recurrences; 100,000 done receipts from
the suppliers and 10,000 supplier corrective actions. Then, as a complaint
manager of the company (record rules apply), times:

1. the complaint analysis pivot, month x grade, as the web client asks it
   (median of 5 after a warm-up; target <= 500 ms), beside the same grouping on
   plain ``helpdesk.ticket`` (the platform's own baseline), and the ratio;
2. the supplier scorecard grouped by supplier (target <= 1 s), when the model
   exists;
3. the complaint register of ``--register-rows`` complaints as XLSX (target
   <= 20 s, peak RSS growth <= 150 MB), when the report exists, beside the
   baseline of xlsxwriter alone writing as many rows of the register's columns
   (every cell filled) with the same public writers in constant-memory mode.
"""

import statistics
import tempfile
import threading
import time
from datetime import datetime, timedelta

import psutil
import xlsxwriter

MONTHS = 24
PRODUCTS = 200
LOTS = 2000
SUPPLIERS = 100

COMPLAINTS_SQL = """
INSERT INTO helpdesk_ticket (
    number, name, description, company_id, team_id, stage_id, partner_id,
    commercial_partner_id, partner_name, partner_email, active, priority, sequence,
    unattended, last_stage_update, is_quality_complaint, complaint_state, registered_date,
    qc_registered_on,
    affected_qty, impact_level, grade_id, grade_auto_id, grade_announced_id, grade_reasons,
    product_id, qc_lot_id, qc_supplier_id, response_deadline, sla_status,
    first_response_date, qc_response_hours, closed_date, qc_days_to_close, qc_remedy_cost,
    qc_is_recurrence, rating_status, create_uid, create_date, write_uid, write_date)
SELECT 'RPT' || n, 'Report complaint ' || n, '<p>Bench</p>', %(company)s, %(team)s,
    CASE WHEN closed THEN %(closed_stage)s ELSE %(stage)s END, %(partner)s, %(partner)s,
    'Report Customer', 'r@example.com', TRUE, (n %% 4)::varchar, 10, FALSE, reg, TRUE,
    'registered', reg, reg::date, 1 + n %% 7, 'cosmetic', grade, grade, grade, 'Bench',
    (%(products)s::int[])[1 + (n %% %(lots_n)s) %% %(products_n)s],
    (%(lots)s::int[])[1 + n %% %(lots_n)s],
    (%(suppliers)s::int[])[1 + (n %% %(lots_n)s) %% %(suppliers_n)s],
    reg + interval '8 hours',
    CASE WHEN n %% 10 < 8 THEN 'met' ELSE 'breached' END,
    reg + hours * interval '1 hour', hours,
    CASE WHEN closed THEN reg + days * interval '1 day' END,
    CASE WHEN closed THEN days ELSE 0 END,
    CASE WHEN n %% 5 = 0 THEN (n %% 300) + 20 ELSE 0 END,
    n %% 50 = 0, 'stage_change', 1, reg, 1, reg
FROM (
    SELECT n,
        %(start)s + (n %% (%(months)s * 30)) * interval '1 day'
            + (n %% 9) * interval '1 hour' AS reg,
        (%(grades)s::int[])[1 + n %% 3] AS grade,
        n %% 3 = 0 AS closed,
        0.5 + (n %% 12) AS hours,
        1 + (n %% 40) AS days
    FROM generate_series(1, %(count)s) AS n
) AS s
"""

RECEIPTS_SQL = """
WITH pickings AS (
    INSERT INTO stock_picking (
        name, partner_id, company_id, picking_type_id, location_id, location_dest_id,
        move_type, state, scheduled_date, date_done, origin,
        create_uid, create_date, write_uid, write_date)
    SELECT 'RPT/IN/' || s || '/' || m, (%(suppliers)s::int[])[s], %(company)s,
        %(picking_type)s, %(src)s, %(dest)s, 'direct', 'done',
        %(start)s + m * interval '30 days', %(start)s + m * interval '30 days', 'RPT',
        1, %(start)s, 1, %(start)s
    FROM generate_series(1, %(suppliers_n)s) AS s, generate_series(0, %(months)s - 1) AS m
    RETURNING id, partner_id, date_done
), numbered AS (
    SELECT id, partner_id, date_done,
        row_number() OVER (ORDER BY id) - 1 AS k,
        count(*) OVER () AS total
    FROM pickings
)
INSERT INTO stock_move (
    company_id, product_id, product_uom, location_id, location_dest_id, location_final_id,
    procure_method, product_uom_qty, product_qty, quantity, date, state, picking_id,
    picking_type_id, partner_id, reference, picked, price_unit,
    create_uid, create_date, write_uid, write_date)
SELECT %(company)s, (%(products)s::int[])[1 + n %% %(products_n)s], %(uom)s, %(src)s,
    %(dest)s, %(dest)s, 'make_to_stock', 100, 100, 100, p.date_done, 'done', p.id,
    %(picking_type)s, p.partner_id, 'RPT/IN', TRUE, 10, 1, p.date_done, 1, p.date_done
FROM generate_series(0, %(count)s - 1) AS n
JOIN numbered p ON p.k = n %% p.total
"""

# The detailed operation of each receipt move (what the scorecard and the lot
# traceability read), when it has none yet.
RECEIPT_LINES_SQL = """
INSERT INTO stock_move_line (
    company_id, move_id, picking_id, product_id, product_uom_id, location_id,
    location_dest_id, quantity, quantity_product_uom, picked, state, date,
    create_uid, create_date, write_uid, write_date)
SELECT m.company_id, m.id, m.picking_id, m.product_id, m.product_uom, m.location_id,
    m.location_dest_id, m.quantity, m.product_qty, TRUE, 'done', m.date,
    1, m.date, 1, m.date
FROM stock_move m
WHERE m.reference = 'RPT/IN'
  AND NOT EXISTS (SELECT 1 FROM stock_move_line l WHERE l.move_id = m.id)
"""

ACTIONS_SQL = """
INSERT INTO quality_complaint_action (
    name, title, kind, company_id, state, active, user_id, partner_id, date_deadline,
    date_open, date_done, done_by_id, supplier_state,
    create_uid, create_date, write_uid, write_date)
SELECT 'RPT/CA/' || n, 'Report action ' || n, 'corrective', %(company)s,
    CASE WHEN n %% 2 = 0 THEN 'open' ELSE 'done' END, TRUE, %(user)s,
    (%(suppliers)s::int[])[1 + n %% %(suppliers_n)s],
    (%(start)s + (n %% 720) * interval '1 day')::date,
    %(start)s + (n %% 720) * interval '1 day',
    CASE WHEN n %% 2 = 1 THEN %(start)s + (n %% 720 + 10) * interval '1 day' END,
    CASE WHEN n %% 2 = 1 THEN %(user)s END,
    CASE WHEN n %% 2 = 0 THEN 'requested' ELSE 'none' END,
    1, %(start)s, 1, %(start)s
FROM generate_series(1, %(count)s) AS n
"""


def _ids(cr, query, params):
    cr.execute(query, params)
    return [row[0] for row in cr.fetchall()]


def _replica_mode(cr):
    """Turn the foreign-key triggers off for this transaction; False when not allowed."""
    cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if not cr.fetchone()[0]:
        return False
    cr.execute("SET LOCAL session_replication_role = replica")
    return True


def seed(env, complaints, receipts, actions):
    """Seed the data set; returns the seconds it took."""
    cr = env.cr
    company = env.company
    team = env.ref("quality_complaint.helpdesk_team_quality_complaints")
    stages = team._get_applicable_stages()
    closed_stage = env.ref("quality_complaint.stage_complaint_closed")
    grades = [
        env.ref(f"quality_complaint.grade_{name}").id for name in ("urgent", "important", "general")
    ]
    start = time.perf_counter()
    now = datetime.utcnow().replace(microsecond=0, second=0, minute=0)
    first_day = now - timedelta(days=MONTHS * 30)
    partner = env["res.partner"].create({"name": "Report Customer", "is_company": True})
    suppliers = env["res.partner"].create(
        [
            {"name": f"Report Supplier {i:03d}", "is_company": True, "supplier_rank": 1}
            for i in range(SUPPLIERS)
        ]
    )
    categ = env["product.category"].create({"name": "Report products"})
    products = env["product.product"].create(
        [
            {
                "name": f"Report Product {i:03d}",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
                "categ_id": categ.id,
                "standard_price": 10,
            }
            for i in range(PRODUCTS)
        ]
    )
    env.flush_all()
    lots = _ids(
        cr,
        """
        INSERT INTO stock_lot (name, product_id, company_id, create_uid, create_date,
                               write_uid, write_date)
        SELECT 'RPT-LOT-' || k, (%(products)s::int[])[1 + k %% %(products_n)s], %(company)s,
               1, %(now)s, 1, %(now)s
          FROM generate_series(0, %(lots_n)s - 1) AS k
        RETURNING id
        """,
        {
            "products": products.ids,
            "products_n": PRODUCTS,
            "lots_n": LOTS,
            "company": company.id,
            "now": now,
        },
    )
    common = {
        "company": company.id,
        "products": products.ids,
        "products_n": PRODUCTS,
        "lots": lots,
        "lots_n": LOTS,
        "suppliers": suppliers.ids,
        "suppliers_n": SUPPLIERS,
        "months": MONTHS,
        "start": first_day,
    }
    # The rows are consistent by construction: skip the foreign-key triggers of the
    # bulk inserts (about 80 on helpdesk_ticket) when the role may, as a restore does.
    replica = _replica_mode(cr)
    cr.execute(
        COMPLAINTS_SQL,
        {
            **common,
            "team": team.id,
            "stage": stages[1:2].id,
            "closed_stage": closed_stage.id,
            "partner": partner.id,
            "grades": grades,
            "count": complaints,
        },
    )
    seeded_complaints = time.perf_counter() - start
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    cr.execute(
        RECEIPTS_SQL,
        {
            **common,
            "picking_type": warehouse.in_type_id.id,
            "src": env.ref("stock.stock_location_suppliers").id,
            "dest": warehouse.lot_stock_id.id,
            "uom": env.ref("uom.product_uom_unit").id,
            "count": receipts,
        },
    )
    cr.execute(RECEIPT_LINES_SQL)
    cr.execute(
        ACTIONS_SQL,
        {**common, "user": env.ref("base.user_admin").id, "count": actions},
    )
    if replica:
        cr.execute("SET LOCAL session_replication_role = origin")
    rebuild_figures(env, "the bulk load skipped the triggers")
    for table in (
        "helpdesk_ticket",
        "stock_lot",
        "stock_picking",
        "stock_move",
        "stock_move_line",
        "quality_complaint_action",
    ):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    seconds = time.perf_counter() - start
    print(
        f"[bench] seeded {complaints} complaints in {seeded_complaints:.1f} s"
        f" (foreign-key triggers {'off' if replica else 'on'}); with"
        f" {receipts} receipt moves, {actions} supplier actions and ANALYZE: {seconds:.1f} s",
        flush=True,
    )
    return seconds


def rebuild_figures(env, why):
    """Recount the analysis's daily figures, as an upgrade does; prints the time."""
    if "quality.complaint.daily" not in env:
        return
    begin = time.perf_counter()
    env["quality.complaint.daily"]._qc_rebuild()
    env.cr.execute("SELECT count(*) FROM quality_complaint_daily_figures")
    print(
        f"[bench] daily figures recounted ({why}): {env.cr.fetchone()[0]} rows"
        f" in {time.perf_counter() - begin:.1f} s",
        flush=True,
    )


def median_ms(env, func, runs=5):
    """Median of ``runs`` timings after one warm-up, in milliseconds."""
    env.invalidate_all()
    func()
    timings = []
    for _i in range(runs):
        env.invalidate_all()
        begin = time.perf_counter()
        func()
        timings.append(time.perf_counter() - begin)
    return statistics.median(timings) * 1000


def complaint_manager(env):
    manager = env["res.users"].search([("login", "=", "report_manager")])
    return manager or env["res.users"].create(
        {
            "name": "Report Manager",
            "login": "report_manager",
            "company_id": env.company.id,
            "company_ids": [(6, 0, env.company.ids)],
            "group_ids": [(6, 0, [env.ref("quality_complaint.group_complaint_manager").id])],
        }
    )


PIVOT_GROUPBY = ["registered_on:month", "grade_id"]
PIVOT_MEASURES = ["__count", "affected_qty:sum"]
OTHER_MEASURES = [
    "__count",
    "response_hours:avg",
    "sla_met_percent:avg",
    "sla_breached_count:sum",
    "days_to_close:avg",
    "remedy_cost:sum",
    "recurrence_count:sum",
]


def bench_pivot(uenv, complaints):
    Analysis = uenv["quality.complaint.analysis"]
    Ticket = uenv["helpdesk.ticket"]
    rows = []
    groups = Analysis.formatted_read_group([], PIVOT_GROUPBY, PIVOT_MEASURES)
    counted = sum(group["__count"] for group in groups)
    pivot = median_ms(
        uenv, lambda: Analysis.formatted_read_group([], PIVOT_GROUPBY, PIVOT_MEASURES)
    )
    baseline = median_ms(
        uenv,
        lambda: Ticket.formatted_read_group([], ["create_date:month", "priority"], ["__count"]),
    )
    rows.append(
        (
            f"Analysis pivot month x grade, {counted} complaints ({len(groups)} cells;"
            f" __count, affected_qty:sum)",
            f"{pivot:.0f} ms",
            "<= 500 ms",
        )
    )
    rows.append(
        (
            "  baseline: helpdesk.ticket create_date:month x priority, __count",
            f"{baseline:.0f} ms",
            "",
        )
    )
    rows.append(("  ratio analysis / plain ticket", f"{pivot / baseline:.2f}x", ""))
    others = median_ms(
        uenv, lambda: Analysis.formatted_read_group([], PIVOT_GROUPBY, OTHER_MEASURES)
    )
    rows.append(
        (
            "Analysis month x grade, the other measures (hours, SLA met %, breaches,"
            " days to close, remedy cost, recurrences)",
            f"{others:.0f} ms",
            "<= 500 ms",
        )
    )
    sets = [[], ["registered_on:month"], ["grade_id"], PIVOT_GROUPBY]
    web = median_ms(uenv, lambda: Analysis.formatted_read_grouping_sets([], sets, PIVOT_MEASURES))
    rows.append(
        (
            "  the pivot's own call (formatted_read_grouping_sets: total, rows, cols, cells)",
            f"{web:.0f} ms",
            "",
        )
    )
    return rows


SCORECARD_MEASURES = ["__count"]


def bench_scorecard(uenv):
    label = "Supplier scorecard grouped by supplier"
    if "quality.supplier.scorecard" not in uenv:
        return [(label, "n/a", "<= 1 s")]
    Scorecard = uenv["quality.supplier.scorecard"]
    measures = ["__count"] + [
        f"{name}:{field.aggregator}"
        for name, field in Scorecard._fields.items()
        if field.aggregator and field.store and name != "id" and not field.groups
    ]
    groups = Scorecard.formatted_read_group([], ["supplier_id"], measures)
    ms = median_ms(uenv, lambda: Scorecard.formatted_read_group([], ["supplier_id"], measures))
    return [
        (
            f"{label} ({len(groups)} suppliers; {len(measures)} measures: __count, sums,"
            " ppm, average days to answer, effective %)",
            f"{ms:.0f} ms",
            "<= 1 s",
        )
    ]


REGISTER_REPORT = "quality_complaint_report.action_report_complaint_register_xlsx"
REGISTER_MODEL = "report.quality_complaint.complaint_register_xlsx"


def peak_rss_during(func):
    """(seconds, result, peak RSS growth in bytes) of ``func``; RSS sampled every 10 ms
    by a thread of this process."""
    process = psutil.Process()
    before = process.memory_info().rss
    peak = [before]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            stop.wait(0.01)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    begin = time.perf_counter()
    try:
        result = func()
    finally:
        seconds = time.perf_counter() - begin
        stop.set()
        thread.join()
    return seconds, result, peak[0] - before


def xlsxwriter_baseline(rows, kinds):
    """Seconds xlsxwriter takes to write ``rows`` rows of cells of ``kinds`` (the
    register's columns, every one filled) with ``write_string`` / ``write_number``
    in constant-memory mode, and to close the file: the floor of the register."""
    numeric = {"date", "datetime", "int", "float", "money"}
    cells = [(col, kind in numeric) for col, kind in enumerate(kinds)]
    with tempfile.TemporaryDirectory() as folder:
        begin = time.perf_counter()
        workbook = xlsxwriter.Workbook(f"{folder}/baseline.xlsx", {"constant_memory": True})
        sheet = workbook.add_worksheet()
        write_string, write_number = sheet.write_string, sheet.write_number
        for row in range(1, rows + 1):
            for col, number in cells:
                if number:
                    write_number(row, col, row + 0.5)
                else:
                    write_string(row, col, "Kettle leaks at the seam")
        workbook.close()
        return time.perf_counter() - begin


def bench_register_xlsx(uenv, rows):
    label = f"Complaint register XLSX, {rows} complaints"
    Report = uenv["ir.actions.report"]
    report = uenv.ref(REGISTER_REPORT, raise_if_not_found=False)
    if not report or not hasattr(Report, "_render_xlsx"):
        return [(label, "n/a", "<= 20 s, <= 150 MB")]
    # The wizard's question: the complaints registered since a date, here the
    # newest ``rows`` of them.
    uenv.cr.execute(
        "SELECT registered_date FROM helpdesk_ticket WHERE number LIKE 'RPT%%'"
        " ORDER BY registered_date DESC OFFSET %s LIMIT 1",
        (rows - 1,),
    )
    since = uenv.cr.fetchone()[0]
    domain = [("is_quality_complaint", "=", True), ("registered_date", ">=", since)]
    count = uenv["helpdesk.ticket"].search_count(domain)
    label = f"Complaint register XLSX, {count} complaints"
    uenv.invalidate_all()
    seconds, result, growth = peak_rss_during(
        lambda: Report._render_xlsx(REGISTER_REPORT, None, {"domain": domain})
    )
    size = len(result[0]) if result and result[0] else 0
    kinds = [kind for _key, _header, kind, _width in uenv[REGISTER_MODEL]._qc_columns()]
    baseline = xlsxwriter_baseline(count, kinds)
    return [
        (f"{label} ({size / 1e6:.1f} MB file), wall time", f"{seconds:.1f} s", "<= 20 s"),
        ("  rows per second", f"{count / seconds:,.0f}", ""),
        (
            f"  baseline: xlsxwriter alone, {count} rows x {len(kinds)} cells, all filled",
            f"{baseline:.1f} s",
            "",
        ),
        ("  ratio register / xlsxwriter alone", f"{seconds / baseline:.2f}x", ""),
        (
            "  peak RSS growth during the render (psutil, sampled every 10 ms in-process)",
            f"{growth / 1e6:.0f} MB",
            "<= 150 MB",
        ),
    ]


def bench_reports(env, args):
    env.cr.execute("SELECT count(*) FROM helpdesk_ticket WHERE number LIKE 'RPT%%'")
    if env.cr.fetchone()[0]:
        print("[bench] reports: reusing the complaints seeded before (--reuse-db)", flush=True)
        env.cr.execute(RECEIPT_LINES_SQL)
        if env.cr.rowcount:
            env.cr.execute("ANALYZE stock_move_line")
        if "quality.complaint.daily" in env:
            env.cr.execute("SELECT 1 FROM quality_complaint_daily_figures LIMIT 1")
            if not env.cr.fetchone():
                rebuild_figures(env, "none yet")
    else:
        seed(env, args.complaints, args.receipts, args.supplier_actions)
    manager = complaint_manager(env)
    env.cr.commit()
    uenv = env(user=manager.id)
    rows = bench_pivot(uenv, args.complaints)
    rows += bench_scorecard(uenv)
    rows += bench_register_xlsx(uenv, args.register_rows)
    return rows
