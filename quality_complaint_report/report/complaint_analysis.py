"""Complaint analysis: one row per registered complaint, for pivot, graph and list.

An SQL view over the ticket's stored columns, for the list and for every question
about single complaints. Grouped questions (the pivot, the graph, the monthly
review) are answered from the daily figures (``complaint_daily``) whenever they
hold what the question uses: the same sums and averages from one row per day and
combination of dimensions instead of one per complaint, so "month x grade" over a
million complaints reads a few thousand rows (``_qc_daily_domain``).

Averages ignore what is not known yet: hours to first response only for answered
complaints, SLA met % only for complaints whose response clock is met or breached,
days to close only for closed complaints.

Grouped by grade, Odoo orders the groups by the grade's own order (level,
sequence) and so joins the grade table. That table holds a handful of rows, too
few for autovacuum ever to analyze it (50 changes by default): PostgreSQL then
guesses 530 grades and plans a sort on disk instead of a hash. ``init`` asks
autovacuum to analyze it after any change.
"""

from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.sql import table_exists

from .complaint_daily import AGGREGATES as DAILY_AGGREGATES
from .complaint_daily import DIMENSIONS as DAILY_DIMENSIONS


class QualityComplaintAnalysis(models.Model):
    _name = "quality.complaint.analysis"
    _description = "Complaint analysis"
    _auto = False
    _rec_name = "ticket_id"
    _order = "date desc, id desc"
    _inherit = ["quality.complaint.figures"]

    ticket_id = fields.Many2one("helpdesk.ticket", string="Complaint", readonly=True)
    date = fields.Datetime(string="Registered on", readonly=True)

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
               -- a duplicate merged into its first complaint counts once, there
               AND t.duplicate_id IS NULL
            """
        )

    def _read_group(  # noqa: PLR0917 (the ORM's signature)
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        """Grouped questions the daily figures can answer are asked to them (see
        ``_qc_daily_domain``); the rest reads the complaints."""
        daily_domain = not having and self._qc_daily_domain(domain, groupby, aggregates, order)
        if daily_domain is not False:
            return self.env["quality.complaint.daily"]._read_group(
                daily_domain, groupby, aggregates, offset=offset, limit=limit, order=order
            )
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        """The pivot's one call (totals, rows, columns, cells), as ``_read_group``."""
        specs = [spec for groupby in grouping_sets for spec in groupby]
        daily_domain = self._qc_daily_domain(domain, specs, aggregates, order)
        if daily_domain is not False:
            return self.env["quality.complaint.daily"]._read_grouping_sets(
                daily_domain, grouping_sets, aggregates, order=order
            )
        return super()._read_grouping_sets(domain, grouping_sets, aggregates, order=order)

    def _qc_daily_domain(self, domain, groupby, aggregates, order):
        """The domain to ask the daily figures, or False when the question needs the
        complaints themselves.

        The figures hold every dimension of the analysis but the complaint and its
        time of registration, and every measure summed or averaged: one row per day
        and combination instead of one per complaint, the same answers. A question
        grouped or filtered by what a single complaint has (its number, a measure's
        value), or asking another aggregate (a maximum, a count of distinct
        customers), reads the complaints. The record rules of the analysis are
        added to the domain, so the figures answer what the user may see.
        """
        self.browse().check_access("read")
        groupby = [spec.strip() for spec in groupby]
        if not groupby and not aggregates:
            return False
        if any(spec.split(":")[0] not in DAILY_DIMENSIONS or "." in spec for spec in groupby):
            return False
        if any(spec.strip() not in DAILY_AGGREGATES for spec in aggregates):
            return False
        for order_part in (order or "").split(","):
            term = order_part.strip().split(" ")[0]
            if term and term not in groupby and term not in DAILY_AGGREGATES:
                return False
        full = Domain(domain) & self.env["ir.rule"]._compute_domain(self._name, "read")
        if any(
            condition.field_expr.split(".")[0] not in DAILY_DIMENSIONS
            for condition in full.iter_conditions()
        ):
            return False
        return full
