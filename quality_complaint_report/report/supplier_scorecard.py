"""Supplier scorecard: complaints, deliveries and corrective actions per supplier.

An SQL view with one row per fact, three kinds stacked by UNION ALL:

- complaint: the registered active complaints whose supplier is known (the
  ticket's ``qc_supplier_id``), a row of the daily figures each (the complaints of
  a day with the same supplier, product, lot...: see ``complaint_daily``): how
  many, their affected units, how many repeat a fixed problem; dated at midnight
  of the registration day in the company's time zone;
- receipt: a done move line from a vendor location into the company (internal or
  transit location), its quantity in the product's unit, the vendor being the
  commercial partner of the transfer's partner (as the lot traceability finds it);
- action: a corrective action sent to a supplier (its supplier answer is not
  "No request"): open, overdue, days to answer, verified and effective.

Each branch is a plain scan joined on primary keys, and the ids are the source
ids (of the figures, move lines and actions) spread over three residues
(3 * id + kind) so that a filter on the view is pushed down into each branch.

Ratios (ppm, average days to answer, effective %) are not averages of rows: read
grouped, they are computed from the sums of their parts at every level
(``_read_group_select``).
"""

from odoo import fields, models
from odoo.addons.quality_complaint_action.models.corrective_action import WORKING_STATES
from odoo.addons.quality_complaint_purchase.models.quality_complaint_action import SUPPLIER_AWAITED
from odoo.tools import SQL

from .complaint_daily import figures_source

FACT_KINDS = [
    ("complaint", "Complaint"),
    ("receipt", "Receipt"),
    ("action", "Supplier action"),
]
# Action states in which the action is still to be done.
OPEN_STATES = ("draft", *WORKING_STATES)
# ratio field: (factor, numerator column, denominator column)
RATIOS = {
    "ppm": (1000000.0, "complaint_units", "delivered_qty"),
    "avg_answer_days": (1.0, "answer_days", "answered_count"),
    "effective_percent": (100.0, "effective_count", "verified_count"),
}


class QualitySupplierScorecard(models.Model):
    _name = "quality.supplier.scorecard"
    _description = "Supplier scorecard"
    _auto = False
    _rec_name = "supplier_id"
    _order = "date desc, id desc"
    _depends = {
        "helpdesk.ticket": [
            "is_quality_complaint",
            "duplicate_id",
            "registered_date",
            "qc_registered_on",
            "active",
            "company_id",
            "product_id",
            "qc_lot_id",
            "qc_supplier_id",
            "affected_qty",
            "qc_is_recurrence",
        ],
        "stock.move.line": [
            "state",
            "date",
            "company_id",
            "product_id",
            "lot_id",
            "picking_id",
            "location_id",
            "location_dest_id",
            "quantity_product_uom",
        ],
        "res.company": ["qc_calendar_id", "resource_calendar_id"],
        "resource.calendar": ["tz"],
        "stock.picking": ["partner_id"],
        "stock.location": ["usage"],
        "res.partner": ["commercial_partner_id"],
        "quality.complaint.action": [
            "partner_id",
            "company_id",
            "state",
            "active",
            "date_deadline",
            "supplier_state",
            "supplier_request_date",
            "supplier_answer_date",
            "supplier_answer_due",
            "last_verdict",
        ],
    }

    kind = fields.Selection(FACT_KINDS, readonly=True)
    supplier_id = fields.Many2one("res.partner", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Datetime(
        readonly=True,
        help="Complaints: registered on; receipts: received on; actions: request sent on.",
    )
    product_id = fields.Many2one("product.product", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot / serial", readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True, aggregator="sum")
    complaint_units = fields.Float(
        string="Complaint units",
        readonly=True,
        aggregator="sum",
        help="Units the customers found affected.",
    )
    recurrence_count = fields.Integer(
        string="Recurrences",
        readonly=True,
        aggregator="sum",
        help="Complaints that repeat a problem a corrective action had fixed.",
    )
    delivered_qty = fields.Float(
        string="Delivered",
        readonly=True,
        aggregator="sum",
        help="Units received from the supplier (done receipts), in the product's unit.",
    )
    ppm = fields.Float(
        string="PPM",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="Complaint units per million units delivered by the supplier.",
    )
    action_count = fields.Integer(string="Supplier actions", readonly=True, aggregator="sum")
    action_open = fields.Integer(
        string="Open actions",
        readonly=True,
        aggregator="sum",
        help="Supplier actions in draft, open or reopened.",
    )
    action_overdue = fields.Integer(
        string="Overdue actions",
        readonly=True,
        aggregator="sum",
        help="Open supplier actions past their deadline or whose supplier answer is late.",
    )
    answer_days = fields.Float(
        string="Days to answer (total)",
        readonly=True,
        aggregator="sum",
        help="Days from the request to the supplier's answer, for the answered requests.",
    )
    answered_count = fields.Integer(string="Answered", readonly=True, aggregator="sum")
    avg_answer_days = fields.Float(
        string="Avg days to answer",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="Average days from the request to the supplier's answer, over the answered requests.",
    )
    verified_count = fields.Integer(string="Verified", readonly=True, aggregator="sum")
    effective_count = fields.Integer(string="Verified effective", readonly=True, aggregator="sum")
    effective_percent = fields.Float(
        string="Effective %",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="Share of the verified supplier actions whose last verification found them effective.",
    )

    @property
    def _table_query(self):
        # "Today" of the user, as the action list's "late" and "overdue answer" flags.
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT f.id * 3 AS id,
                   'complaint' AS kind,
                   f.supplier_id AS supplier_id,
                   f.company_id AS company_id,
                   -- midnight of the registration day in the company's time zone
                   (f.registered_on::timestamp
                        AT TIME ZONE COALESCE(calendar.tz, 'UTC')) AT TIME ZONE 'UTC' AS date,
                   f.product_id AS product_id,
                   f.lot_id AS lot_id,
                   f.complaint_count AS complaint_count,
                   f.affected_qty AS complaint_units,
                   f.recurrence_count AS recurrence_count,
                   0.0 AS delivered_qty,
                   NULL::float AS ppm,
                   0 AS action_count,
                   0 AS action_open,
                   0 AS action_overdue,
                   NULL::float AS answer_days,
                   0 AS answered_count,
                   NULL::float AS avg_answer_days,
                   0 AS verified_count,
                   0 AS effective_count,
                   NULL::float AS effective_percent
              FROM %(figures)s f
              JOIN res_company company ON company.id = f.company_id
         LEFT JOIN resource_calendar calendar
                ON calendar.id = COALESCE(company.qc_calendar_id, company.resource_calendar_id)
             WHERE f.supplier_id IS NOT NULL
         UNION ALL
            SELECT sml.id * 3 + 1,
                   'receipt',
                   COALESCE(partner.commercial_partner_id, partner.id),
                   sml.company_id,
                   sml.date,
                   sml.product_id,
                   sml.lot_id,
                   0,
                   0.0,
                   0,
                   sml.quantity_product_uom,
                   CASE WHEN sml.quantity_product_uom <> 0 THEN 0.0 END,
                   0, 0, 0,
                   NULL::float, 0, NULL::float,
                   0, 0, NULL::float
              FROM stock_move_line sml
              JOIN stock_location src ON src.id = sml.location_id
              JOIN stock_location dest ON dest.id = sml.location_dest_id
              JOIN stock_picking sp ON sp.id = sml.picking_id
              JOIN res_partner partner ON partner.id = sp.partner_id
             WHERE sml.state = 'done'
               AND src.usage = 'supplier'
               AND dest.usage IN ('internal', 'transit')
         UNION ALL
            SELECT a.id * 3 + 2,
                   'action',
                   a.partner_id,
                   a.company_id,
                   COALESCE(a.supplier_request_date, a.create_date),
                   NULL::integer,
                   NULL::integer,
                   0, 0.0, 0, 0.0, NULL::float,
                   1,
                   CASE WHEN a.state IN %(open)s THEN 1 ELSE 0 END,
                   CASE WHEN a.state IN %(open)s
                         AND (a.date_deadline < %(today)s
                              OR (a.supplier_state IN %(awaited)s
                                  AND a.supplier_answer_due < %(today)s))
                        THEN 1 ELSE 0 END,
                   answer.days,
                   CASE WHEN answer.days IS NOT NULL THEN 1 ELSE 0 END,
                   answer.days,
                   CASE WHEN a.last_verdict IS NOT NULL THEN 1 ELSE 0 END,
                   CASE WHEN a.last_verdict = 'effective' THEN 1 ELSE 0 END,
                   CASE a.last_verdict WHEN 'effective' THEN 100.0
                                       WHEN 'not_effective' THEN 0.0 END
              FROM quality_complaint_action a
                   -- the answer to the last request (a rejection asks again)
                   CROSS JOIN LATERAL (
                       SELECT CASE WHEN a.supplier_answer_date >= a.supplier_request_date
                                   THEN EXTRACT(EPOCH FROM a.supplier_answer_date
                                                          - a.supplier_request_date)
                                        / 86400.0 END AS days
                   ) answer
             WHERE a.partner_id IS NOT NULL
               AND a.supplier_state <> 'none'
               AND a.active
            """,
            figures=figures_source(),
            open=OPEN_STATES,
            awaited=SUPPLIER_AWAITED,
            today=today,
        )

    def _read_group_select(self, aggregate_spec, query):
        """Ratios from the sums of their parts, right at any grouping."""
        fname = aggregate_spec.split(":")[0]
        if fname in RATIOS:
            factor, numerator, denominator = RATIOS[fname]
            # access to the field itself, as the standard aggregates check it
            super()._read_group_select(f"{fname}:sum", query)
            return SQL(
                "%s * SUM(%s) / NULLIF(SUM(%s), 0)",
                factor,
                self._field_to_sql(self._table, numerator, query),
                self._field_to_sql(self._table, denominator, query),
            )
        return super()._read_group_select(aggregate_spec, query)
