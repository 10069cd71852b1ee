"""Complaint analysis: one row per registered complaint, for pivot and graph.

An SQL view over the ticket's stored columns. The many-to-one tables it joins are
joined on their primary key, so PostgreSQL drops every join a question does not
use: "complaints by month and grade" reads the ticket table alone.

Averages ignore what is not known yet: hours to first response only for answered
complaints, SLA met % only for complaints whose response clock is met or breached,
days to close only for closed complaints.

Grouped by grade, Odoo orders the groups by the grade's own order (level,
sequence) and so joins the grade table. That table holds a handful of rows, too
few for autovacuum ever to analyze it (50 changes by default): PostgreSQL then
guesses 530 grades, hence a million groups for "month x grade" over a million
complaints, and sorts them on disk in one process (2.6 s) instead of hashing them
in parallel (1.4 s on the same machine). ``init`` asks autovacuum to analyze it
after any change.
"""

from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import table_exists

from ..models.fishbone_cause import CAUSE_CATEGORIES
from ..models.helpdesk_ticket_registration import CUSTOMER_REQUESTS


class QualityComplaintAnalysis(models.Model):
    _name = "quality.complaint.analysis"
    _description = "Complaint analysis"
    _auto = False
    _rec_name = "ticket_id"
    _order = "date desc, id desc"
    _depends = {
        "helpdesk.ticket": [
            "is_quality_complaint",
            "registered_date",
            "qc_registered_on",
            "closed_date",
            "company_id",
            "team_id",
            "channel_id",
            "commercial_partner_id",
            "user_id",
            "stage_id",
            "grade_id",
            "product_id",
            "qc_lot_id",
            "qc_supplier_id",
            "defect_category_id",
            "investigation_id",
            "customer_request",
            "affected_qty",
            "first_response_date",
            "qc_response_hours",
            "sla_status",
            "qc_days_to_close",
            "qc_remedy_cost",
            "qc_is_recurrence",
            "active",
        ],
        "quality.complaint.investigation": ["root_cause_category"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
        "res.company": ["currency_id"],
        "helpdesk.ticket.stage": ["closed"],
    }

    ticket_id = fields.Many2one("helpdesk.ticket", string="Complaint", readonly=True)
    date = fields.Datetime(string="Registered on", readonly=True)
    registered_on = fields.Date(
        string="Registration day",
        readonly=True,
        help="The day of the registration in the company's time zone.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    channel_id = fields.Many2one("helpdesk.ticket.channel", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned to", readonly=True)
    stage_id = fields.Many2one("helpdesk.ticket.stage", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    grade_id = fields.Many2one("quality.complaint.grade", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product category", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot / serial", readonly=True)
    supplier_id = fields.Many2one("res.partner", readonly=True)
    defect_category_id = fields.Many2one(
        "quality.complaint.defect.category", string="Defect category", readonly=True
    )
    investigation_id = fields.Many2one("quality.complaint.investigation", readonly=True)
    root_cause_category = fields.Selection(
        CAUSE_CATEGORIES, string="Root-cause category", readonly=True
    )
    customer_request = fields.Selection(CUSTOMER_REQUESTS, readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True, aggregator="sum")
    affected_qty = fields.Float(string="Affected units", readonly=True, aggregator="sum")
    response_hours = fields.Float(
        string="Hours to first response",
        readonly=True,
        aggregator="avg",
        help="Average over the complaints answered.",
    )
    sla_met_percent = fields.Float(
        string="SLA met %",
        readonly=True,
        aggregator="avg",
        help="Share of the complaints whose response deadline was met, among those "
        "met or breached.",
    )
    sla_breached_count = fields.Integer(string="SLA breaches", readonly=True, aggregator="sum")
    days_to_close = fields.Float(
        string="Days to close",
        readonly=True,
        aggregator="avg",
        help="Average over the closed complaints.",
    )
    remedy_cost = fields.Monetary(
        string="Remedy cost",
        readonly=True,
        aggregator="sum",
        currency_field="currency_id",
        groups="quality_complaint.group_complaint_officer",
        help="What the executed and running remedies cost, in the company's currency.",
    )
    recurrence_count = fields.Integer(
        string="Recurrences",
        readonly=True,
        aggregator="sum",
        help="Complaints that repeat a problem a corrective action had fixed.",
    )

    def init(self):
        # Tiny tables joined to order groups: keep their statistics (see above).
        for table in ("quality_complaint_grade",):
            if table_exists(self.env.cr, table):
                self.env.cr.execute(
                    SQL(
                        "ALTER TABLE %s SET (autovacuum_analyze_threshold = 1)",
                        SQL.identifier(table),
                    )
                )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.registered_date AS date,
                   t.qc_registered_on AS registered_on,
                   t.company_id AS company_id,
                   company.currency_id AS currency_id,
                   t.team_id AS team_id,
                   t.channel_id AS channel_id,
                   t.commercial_partner_id AS partner_id,
                   t.user_id AS user_id,
                   t.stage_id AS stage_id,
                   stage.closed AS is_closed,
                   t.grade_id AS grade_id,
                   t.product_id AS product_id,
                   tmpl.categ_id AS categ_id,
                   t.qc_lot_id AS lot_id,
                   t.qc_supplier_id AS supplier_id,
                   t.defect_category_id AS defect_category_id,
                   t.investigation_id AS investigation_id,
                   inv.root_cause_category AS root_cause_category,
                   t.customer_request AS customer_request,
                   1 AS complaint_count,
                   t.affected_qty AS affected_qty,
                   CASE WHEN t.first_response_date IS NOT NULL
                        THEN t.qc_response_hours END AS response_hours,
                   CASE t.sla_status WHEN 'met' THEN 100.0
                                     WHEN 'breached' THEN 0.0 END AS sla_met_percent,
                   CASE WHEN t.sla_status = 'breached' THEN 1 ELSE 0 END AS sla_breached_count,
                   CASE WHEN t.closed_date IS NOT NULL
                        THEN t.qc_days_to_close END AS days_to_close,
                   t.qc_remedy_cost AS remedy_cost,
                   CASE WHEN t.qc_is_recurrence THEN 1 ELSE 0 END AS recurrence_count
              FROM helpdesk_ticket t
         LEFT JOIN res_company company ON company.id = t.company_id
         LEFT JOIN helpdesk_ticket_stage stage ON stage.id = t.stage_id
         LEFT JOIN product_product product ON product.id = t.product_id
         LEFT JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
         LEFT JOIN quality_complaint_investigation inv ON inv.id = t.investigation_id
             WHERE t.is_quality_complaint
               AND t.registered_date IS NOT NULL
               AND t.active
            """
        )
