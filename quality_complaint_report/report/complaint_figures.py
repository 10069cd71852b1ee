"""What the complaint analysis counts: its dimensions and its measures.

Shared by the analysis (one row per complaint) and its daily figures (one row per
day and combination of dimensions), which answer the same questions with the
same fields.
"""

from odoo import fields, models
from odoo.addons.quality_complaint.models.helpdesk_ticket import CUSTOMER_REQUESTS
from odoo.addons.quality_complaint_investigation.models.fishbone_cause import CAUSE_CATEGORIES


class QualityComplaintFigures(models.AbstractModel):
    _name = "quality.complaint.figures"
    _description = "Complaint figures: dimensions and measures"
    # What the figures are counted from: pending changes to these are written to
    # the database before the figures are read.
    _depends = {
        "helpdesk.ticket": [
            "is_quality_complaint",
            "duplicate_id",
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
