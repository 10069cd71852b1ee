"""Daily complaint figures: the complaint analysis summed per day, kept by PostgreSQL.

A manager's pivot over a million complaints ("month x grade") would otherwise
aggregate a million ticket rows on every click. The table
``quality_complaint_daily_figures`` holds one row per day of registration and
combination of the analysis's dimensions (company, team, channel, customer,
assignee, stage, grade, product, lot, supplier, defect, investigation, customer
request), with the sums the analysis shows (complaints, units, hours to first
response, SLA met and breached, days to close, remedy cost, recurrences) and the
counts its averages divide by. Busy days fold many complaints into one row; at
worst there is one row per complaint, still narrower than the ticket.

The figures follow every change of a ticket, however it is made (a form, a
scheduled action, a stored computation flushed by the ORM, plain SQL): statement
triggers on ``helpdesk_ticket`` **insert** what the statement's new rows bring and
take away what its old rows brought into ``quality_complaint_daily_delta``, in the
same transaction. Writers only ever insert new rows there, so sixteen agents
registering complaints of one lot in the same minute never wait for, nor conflict
on, a shared row of figures (an upsert would: under Odoo's repeatable-read
transactions the second writer of a day's row fails with a serialization error).

A scheduled action folds the deltas into the figures: it takes a batch of them
``FOR UPDATE SKIP LOCKED``, deletes them and adds their sums in the same statement,
then removes the rows that fell to zero complaints. One worker folds at a time (a
session advisory lock; a second cron worker finds it taken and leaves). The
readers add the figures and the deltas not folded yet, so what they show is exact
whenever the fold last ran; the fold only keeps the deltas few.

What a figure reads from another table (the stage's "closed" flag, the product's
category, the company's currency, the investigation's root-cause category) is
joined when the figures are read, so renaming a category or closing a stage needs
no refresh. ``init`` (install and every upgrade) rebuilds the figures from the
tickets (and empties the deltas), which also repairs them after a restore that
skipped the triggers; ``uninstall_hook`` drops the triggers first.

``quality.complaint.daily`` reads the table with the same dimensions and measures
as ``quality.complaint.analysis``, which hands it the grouped questions it can
answer (see ``QualityComplaintAnalysis._read_group``).
"""

from odoo import api, fields, models
from odoo.tools import SQL

FIGURES_TABLE = "quality_complaint_daily_figures"
DELTA_TABLE = "quality_complaint_daily_delta"
# Deltas folded per transaction of the scheduled action.
FOLD_BATCH = 20000
# Session advisory lock held by the worker folding the deltas (an arbitrary key,
# "QCDF" in ASCII).
FOLD_LOCK = 0x51434446
APPLY_FUNCTION = "quality_complaint_daily_figures_apply"
TRIGGERS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}

# figures column: (SQL type, expression over a ticket row "r")
KEYS = {
    "company_id": ("integer", "r.company_id"),
    "registered_on": ("date", "r.qc_registered_on"),
    "team_id": ("integer", "r.team_id"),
    "channel_id": ("integer", "r.channel_id"),
    "partner_id": ("integer", "r.commercial_partner_id"),
    "user_id": ("integer", "r.user_id"),
    "stage_id": ("integer", "r.stage_id"),
    "grade_id": ("integer", "r.grade_id"),
    "product_id": ("integer", "r.product_id"),
    "lot_id": ("integer", "r.qc_lot_id"),
    "supplier_id": ("integer", "r.qc_supplier_id"),
    "defect_category_id": ("integer", "r.defect_category_id"),
    "investigation_id": ("integer", "r.investigation_id"),
    "customer_request": ("varchar", "r.customer_request"),
}
# What a missing key is stored as in the unique index (NULLs never conflict).
KEY_NULLS = {"date": "DATE '0001-01-01'", "varchar": "''", "integer": "0"}
SUMS = {
    "complaint_count": ("integer", "1"),
    "affected_qty": ("numeric", "COALESCE(r.affected_qty, 0)"),
    "response_hours": (
        "double precision",
        "CASE WHEN r.first_response_date IS NOT NULL THEN COALESCE(r.qc_response_hours, 0) END",
    ),
    "response_count": (
        "integer",
        "CASE WHEN r.first_response_date IS NOT NULL AND r.qc_response_hours IS NOT NULL"
        " THEN 1 ELSE 0 END",
    ),
    "sla_met_count": ("integer", "CASE WHEN r.sla_status = 'met' THEN 1 ELSE 0 END"),
    "sla_decided_count": (
        "integer",
        "CASE WHEN r.sla_status IN ('met', 'breached') THEN 1 ELSE 0 END",
    ),
    "sla_breached_count": ("integer", "CASE WHEN r.sla_status = 'breached' THEN 1 ELSE 0 END"),
    "days_to_close": (
        "double precision",
        "CASE WHEN r.closed_date IS NOT NULL THEN COALESCE(r.qc_days_to_close, 0) END",
    ),
    "closed_count": (
        "integer",
        "CASE WHEN r.closed_date IS NOT NULL AND r.qc_days_to_close IS NOT NULL THEN 1 ELSE 0 END",
    ),
    "remedy_cost": ("numeric", "COALESCE(r.qc_remedy_cost, 0)"),
    "recurrence_count": ("integer", "CASE WHEN r.qc_is_recurrence THEN 1 ELSE 0 END"),
}
# The tickets the analysis counts.
# A duplicate merged into its first complaint (helpdesk_mgmt's duplicate_id) counts
# once, as the first.
COUNTED = (
    "r.is_quality_complaint AND r.active AND r.registered_date IS NOT NULL"
    " AND r.duplicate_id IS NULL"
)

# analysis measure: (numerator column, denominator column, factor) of its average
AVERAGES = {
    "response_hours": ("response_hours", "response_count", 1.0),
    "sla_met_percent": ("sla_met_count", "sla_decided_count", 100.0),
    "days_to_close": ("days_to_close", "closed_count", 1.0),
}
# analysis measure: (figures column, factor) of its sum
TOTALS = {
    "complaint_count": ("complaint_count", 1.0),
    "affected_qty": ("affected_qty", 1.0),
    "response_hours": ("response_hours", 1.0),
    "sla_met_percent": ("sla_met_count", 100.0),
    "sla_breached_count": ("sla_breached_count", 1.0),
    "days_to_close": ("days_to_close", 1.0),
    "remedy_cost": ("remedy_cost", 1.0),
    "recurrence_count": ("recurrence_count", 1.0),
}
# The analysis's fields the figures have as they are.
DIMENSIONS = frozenset(
    {
        "registered_on",
        "company_id",
        "currency_id",
        "team_id",
        "channel_id",
        "partner_id",
        "user_id",
        "stage_id",
        "is_closed",
        "grade_id",
        "product_id",
        "categ_id",
        "lot_id",
        "supplier_id",
        "defect_category_id",
        "investigation_id",
        "root_cause_category",
        "customer_request",
    }
)
# A group of the figures has complaints.
NOT_EMPTY = ("__count", "!=", 0)
# The analysis's aggregates the figures answer.
AGGREGATES = frozenset(
    {"__count"} | {f"{name}:sum" for name in TOTALS} | {f"{name}:avg" for name in AVERAGES}
)


def _contributions(source, sign):
    """SELECT of the figures' columns for the counted tickets of ``source``."""
    columns = [f"{expr} AS {name}" for name, (_type, expr) in KEYS.items()]
    columns += [f"{sign} * {expr} AS {name}" for name, (_type, expr) in SUMS.items()]
    return f"SELECT {', '.join(columns)} FROM {source} r WHERE {COUNTED}"


def _add_figures(rows_sql):
    """INSERT ... ON CONFLICT adding the grouped ``rows_sql`` to the figures."""
    keys = ", ".join(KEYS)
    sums = ", ".join(f"COALESCE(SUM({name}), 0)" for name in SUMS)
    changed = " OR ".join(f"COALESCE(SUM({name}), 0) <> 0" for name in SUMS)
    updates = ", ".join(
        f"{name} = COALESCE(f.{name}, 0) + COALESCE(EXCLUDED.{name}, 0)" for name in SUMS
    )
    return (
        f"INSERT INTO {FIGURES_TABLE} AS f ({keys}, {', '.join(SUMS)})"
        f" SELECT {keys}, {sums} FROM ({rows_sql}) AS rows"
        f" GROUP BY {keys} HAVING {changed}"
        f" ON CONFLICT ({_conflict_target()}) DO UPDATE SET {updates}"
    )


def _insert_deltas(rows_sql):
    """INSERT of the grouped ``rows_sql`` as new deltas (no row is ever updated)."""
    keys = ", ".join(KEYS)
    sums = ", ".join(f"COALESCE(SUM({name}), 0)" for name in SUMS)
    changed = " OR ".join(f"COALESCE(SUM({name}), 0) <> 0" for name in SUMS)
    return (
        f"INSERT INTO {DELTA_TABLE} ({keys}, {', '.join(SUMS)})"
        f" SELECT {keys}, {sums} FROM ({rows_sql}) AS rows"
        f" GROUP BY {keys} HAVING {changed}"
    )


def _conflict_target():
    return ", ".join(
        f"COALESCE({name}, {KEY_NULLS[sql_type]})" for name, (sql_type, _expr) in KEYS.items()
    )


def figures_ddl():
    """Statements creating the tables, their indexes, the function and the triggers."""
    columns = [f"{name} {sql_type}" for name, (sql_type, _expr) in KEYS.items()]
    columns += [f"{name} {sql_type} NOT NULL DEFAULT 0" for name, (sql_type, _expr) in SUMS.items()]
    changes = {
        "INSERT": _contributions("new_rows", 1),
        "DELETE": _contributions("old_rows", -1),
        "UPDATE": f"{_contributions('old_rows', -1)} UNION ALL {_contributions('new_rows', 1)}",
    }
    branches = "\n".join(
        f"{'IF' if index == 0 else 'ELSIF'} TG_OP = '{operation}' THEN {_insert_deltas(rows)};"
        for index, (operation, rows) in enumerate(changes.items())
    )
    statements = [
        f"CREATE TABLE IF NOT EXISTS {FIGURES_TABLE} "
        f"(id bigserial PRIMARY KEY, {', '.join(columns)})",
        f"CREATE UNIQUE INDEX IF NOT EXISTS {FIGURES_TABLE}_key_uniq"
        f" ON {FIGURES_TABLE} ({_conflict_target()})",
        f"CREATE INDEX IF NOT EXISTS {FIGURES_TABLE}_empty_idx"
        f" ON {FIGURES_TABLE} (id) WHERE complaint_count = 0",
        # No index but the key: writers append, the fold reads in id order.
        f"CREATE TABLE IF NOT EXISTS {DELTA_TABLE} "
        f"(id bigserial PRIMARY KEY, {', '.join(columns)})",
        f"""
        CREATE OR REPLACE FUNCTION {APPLY_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql AS $fn$
        BEGIN
            {branches}
            END IF;
            RETURN NULL;
        END
        $fn$
        """,
    ]
    for operation, referencing in TRIGGERS.items():
        name = f"{FIGURES_TABLE}_{operation.lower()}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON helpdesk_ticket",
            f"CREATE TRIGGER {name} AFTER {operation} ON helpdesk_ticket {referencing}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {APPLY_FUNCTION}()",
        ]
    return statements


def figures_source():
    """The figures as the readers see them: the folded rows, and the pending deltas
    summed per day and dimensions (under negative ids, so that every row has its
    own); deltas that cancel out (a complaint written twice by one statement's
    flush) are left out."""
    keys = ", ".join(KEYS)
    sums = ", ".join(f"SUM({name}) AS {name}" for name in SUMS)
    changed = " OR ".join(f"SUM({name}) <> 0" for name in SUMS)
    return SQL(
        f"(SELECT id, {keys}, {', '.join(SUMS)} FROM {FIGURES_TABLE}"
        f" UNION ALL SELECT -MIN(id), {keys}, {sums} FROM {DELTA_TABLE}"
        f" GROUP BY {keys} HAVING {changed})"
    )


def rebuild_figures(cr):
    """Recount the figures from the tickets (set-based, one statement)."""
    table = SQL.identifier(FIGURES_TABLE)
    cr.execute(SQL("TRUNCATE %s, %s", table, SQL.identifier(DELTA_TABLE)))
    # composed of this module's constants only (no value from outside)
    cr.execute(SQL(_add_figures(_contributions("helpdesk_ticket", 1))))
    cr.execute(SQL("ANALYZE %s", table))


def fold_deltas(cr, limit=FOLD_BATCH):
    """Add up to ``limit`` of the oldest deltas to the figures and delete them, in
    one statement; rows of figures left without complaints go. Returns the number
    of deltas folded. The caller holds the fold lock (see ``_cron_fold``)."""
    keys = ", ".join(KEYS)
    moved = (
        f"DELETE FROM {DELTA_TABLE} WHERE id IN (SELECT id FROM {DELTA_TABLE}"
        f" ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING {keys}, {', '.join(SUMS)}"
    )
    # composed of this module's constants only, and the limit as a parameter
    cr.execute(
        SQL(
            f"WITH moved AS ({moved}), added AS ({_add_figures('SELECT * FROM moved')}"
            " RETURNING 1) SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM added)",
            limit,
        )
    )
    folded, _rows = cr.fetchone()
    if folded:
        cr.execute(SQL("DELETE FROM %s WHERE complaint_count = 0", SQL.identifier(FIGURES_TABLE)))
    return folded


def drop_figures(cr):
    """Remove the triggers, the function and the tables (module uninstalled)."""
    for operation in TRIGGERS:
        trigger = SQL.identifier(f"{FIGURES_TABLE}_{operation.lower()}")
        cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON helpdesk_ticket", trigger))
    cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(APPLY_FUNCTION)))
    cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(FIGURES_TABLE)))
    cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(DELTA_TABLE)))


class QualityComplaintDaily(models.Model):
    _name = "quality.complaint.daily"
    _description = "Complaint figures per day"
    _auto = False
    _order = "registered_on desc, id desc"
    _rec_name = "registered_on"
    _inherit = ["quality.complaint.figures"]

    # The counts the averages divide by.
    response_count = fields.Integer(string="Answered", readonly=True, aggregator="sum")
    sla_met_count = fields.Integer(string="SLA met", readonly=True, aggregator="sum")
    sla_decided_count = fields.Integer(
        string="SLA met or breached", readonly=True, aggregator="sum"
    )
    closed_count = fields.Integer(string="Closed complaints", readonly=True, aggregator="sum")

    def init(self):
        cr = self.env.cr
        for statement in figures_ddl():
            # composed of this module's constants only (no value from outside)
            cr.execute(SQL(statement))
        rebuild_figures(cr)

    def _qc_rebuild(self):
        """Recount the figures from the tickets (after a bulk load without triggers)."""
        rebuild_figures(self.env.cr)

    def _qc_fold(self, limit=FOLD_BATCH):
        """Fold up to ``limit`` deltas into the figures, in the current transaction
        (the scheduled action does it in its own, see ``_cron_fold``)."""
        return fold_deltas(self.env.cr, limit)

    @api.model
    def _cron_fold(self, batch_size=FOLD_BATCH):
        """Scheduled action: fold the pending deltas into the figures, a batch per
        transaction, until none is left or the run's time is up.

        One worker at a time holds the fold lock; another one that starts meanwhile
        leaves at once. The lock is taken before the transaction that folds begins,
        so the fold reads the figures as the previous fold committed them: no
        repeatable-read transaction of ours ever updates a row another one changed
        after it started, and the fold cannot fail on a concurrent update.
        """
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_lock(%s)", FOLD_LOCK))
        if not cr.fetchone()[0]:
            return 0
        cron = self.env["ir.cron"]
        folded = 0
        try:
            cron._commit_progress()  # the folds start from a fresh snapshot
            while True:
                done = fold_deltas(cr, batch_size)
                folded += done
                if done < batch_size:
                    cron._commit_progress(done, remaining=0)
                    break
                cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(DELTA_TABLE)))
                if not cron._commit_progress(done, remaining=cr.fetchone()[0]):
                    break
        except Exception:
            cr.rollback()  # the failed batch is undone; the session can unlock
            raise
        finally:
            # a session lock: released at once, whatever becomes of the transaction
            cr.execute(SQL("SELECT pg_advisory_unlock(%s)", FOLD_LOCK))
        return folded

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT f.*,
                   f.sla_met_count * 100.0 AS sla_met_percent,
                   company.currency_id AS currency_id,
                   stage.closed AS is_closed,
                   tmpl.categ_id AS categ_id,
                   inv.root_cause_category AS root_cause_category
              FROM %s f
         LEFT JOIN res_company company ON company.id = f.company_id
         LEFT JOIN helpdesk_ticket_stage stage ON stage.id = f.stage_id
         LEFT JOIN product_product product ON product.id = f.product_id
         LEFT JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
         LEFT JOIN quality_complaint_investigation inv ON inv.id = f.investigation_id
            """,
            figures_source(),
        )

    def _read_group(  # noqa: PLR0917 (the ORM's signature)
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        """A group is a group of complaints: one that the pending deltas took its
        last complaints from (a stage left, a grade changed) is not shown until the
        fold removes its row."""
        if groupby:
            having = ["&", *having, NOT_EMPTY] if having else [NOT_EMPTY]
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        """The pivot's one call, without the groups left without complaints (see
        ``_read_group``)."""
        asked = list(aggregates)
        if "__count" not in asked:
            asked.append("__count")
        count = asked.index("__count")
        results = super()._read_grouping_sets(domain, grouping_sets, asked, order=order)
        filtered = []
        for groupby, found in zip(grouping_sets, results, strict=True):
            rows = [row for row in found if not groupby or row[len(groupby) + count]]
            if len(asked) > len(aggregates):
                rows = [row[:-1] for row in rows]
            filtered.append(rows)
        return filtered

    def _read_group_select(self, aggregate_spec, query):
        """Complaints are rows of the analysis, not of the figures: counts and sums
        add the day's sums up, averages divide the summed numerator by the summed
        count, at every level of grouping."""
        if aggregate_spec == "__count":
            complaints = self._field_to_sql(self._table, "complaint_count", query)
            return SQL("COALESCE(SUM(%s), 0)", complaints)
        fname, _sep, func = aggregate_spec.partition(":")
        # access to the field itself, as the standard aggregates check it
        super()._read_group_select(aggregate_spec, query)
        if func == "avg" and fname in AVERAGES:
            numerator, denominator, factor = AVERAGES[fname]
            return SQL(
                "%s * SUM(%s) / NULLIF(SUM(%s), 0)",
                factor,
                self._field_to_sql(self._table, numerator, query),
                self._field_to_sql(self._table, denominator, query),
            )
        if func == "sum" and fname in TOTALS:
            column, factor = TOTALS[fname]
            total = SQL("SUM(%s)", self._field_to_sql(self._table, column, query))
            return SQL("%s * %s", factor, total) if factor != 1 else total
        return super()._read_group_select(aggregate_spec, query)
