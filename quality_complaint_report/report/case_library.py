"""Case library (docs/process.md §6): every closed complaint, with its investigation, remedy
plans, corrective actions and their verification, searchable in one place.

An SQL view, one row per closed active complaint (its stage is closed and stands
for the complaint's last step: a cancelled one is no case), keyed on the
complaint's id. The story of the case (Table 1, inspections, tests, 5 Whys,
fishbone, remedies, actions, verifications, feedback, call-back) is read through
non-stored related fields from the complaint and its investigation: the card
shows what those records hold, and they stay locked where they live.

Free text ("Text" in the search view) looks, in one SQL query, through what was
written about the case: the complaint, its investigation and its parts, the
remedies, the actions and their verifications, the feedback and call-back notes.
"""

from odoo import api, fields, models
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, role
from odoo.addons.quality_complaint_investigation.models.fishbone_cause import CAUSE_CATEGORIES
from odoo.fields import Domain
from odoo.tools import SQL

# (table, column that leads to the complaint, text columns), each joined to the
# complaint through ``ticket`` (t.id) or ``investigation`` (t.investigation_id).
TEXT_SOURCES = (
    (
        "helpdesk_ticket",
        "ticket",
        (
            "name",
            "number",
            "description",
            "occurrence",
            "customer_request_note",
            "qc_feedback_note",
            "qc_followup_note",
        ),
    ),
    ("quality_complaint_remedy", "ticket", ("name",)),
    (
        "quality_complaint_investigation",
        "investigation",
        ("name", "title", "description", "root_cause_summary"),
    ),
    ("quality_complaint_why", "investigation", ("why", "because")),
    ("quality_complaint_fishbone_cause", "investigation", ("description",)),
    ("quality_complaint_inspection", "investigation", ("defect_features", "fault_code")),
    ("quality_complaint_test", "investigation", ("name", "method", "conclusion")),
    ("quality_complaint_action", "investigation", ("name", "title", "description")),
)


class QualityComplaintCase(models.Model):
    _name = "quality.complaint.case"
    _description = "Case library"
    _auto = False
    _rec_name = "name"
    _order = "closed_date desc, id desc"
    _depends = {
        "helpdesk.ticket": [
            "is_quality_complaint",
            "duplicate_id",
            "name",
            "number",
            "registered_date",
            "closed_date",
            "company_id",
            "commercial_partner_id",
            "stage_id",
            "grade_id",
            "product_id",
            "qc_lot_id",
            "qc_supplier_id",
            "defect_category_id",
            "investigation_id",
            "qc_days_to_close",
            "active",
        ],
        "quality.complaint.investigation": ["root_cause_category", "root_cause_summary"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
        "helpdesk.ticket.stage": ["closed", "qc_cancels"],
    }

    # ------------------------------------------------------------ SQL columns
    ticket_id = fields.Many2one("helpdesk.ticket", string="Complaint", readonly=True)
    name = fields.Char(string="Subject", readonly=True)
    number = fields.Char(string="Reference", readonly=True)
    date = fields.Datetime(string="Registered on", readonly=True)
    closed_date = fields.Datetime(string="Closed on", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    stage_id = fields.Many2one("helpdesk.ticket.stage", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product category", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot / serial", readonly=True)
    supplier_id = fields.Many2one("res.partner", readonly=True)
    defect_category_id = fields.Many2one(
        "quality.complaint.defect.category", string="Defect category", readonly=True
    )
    grade_id = fields.Many2one("quality.complaint.grade", readonly=True)
    investigation_id = fields.Many2one("quality.complaint.investigation", readonly=True)
    root_cause_category = fields.Selection(
        CAUSE_CATEGORIES, string="Root-cause category", readonly=True
    )
    root_cause_summary = fields.Text(readonly=True)
    days_to_close = fields.Float(string="Days to close", readonly=True, aggregator="avg")

    # ------------------------------------------------------------ free text
    search_text = fields.Char(
        string="Text",
        compute="_compute_search_text",
        search="_search_search_text",
        help="Words from the complaint, its investigation (whys, fishbone, inspections, "
        "tests, root cause), its remedies, its corrective actions and their "
        "verifications.",
    )

    # ------------------------------------------------------------ case card
    description = fields.Html(related="ticket_id.description", string="Description")
    occurrence = fields.Text(related="ticket_id.occurrence")
    impact_level = fields.Selection(related="ticket_id.impact_level")
    affected_qty = fields.Float(related="ticket_id.affected_qty")
    customer_request = fields.Selection(related="ticket_id.customer_request")
    customer_request_note = fields.Char(related="ticket_id.customer_request_note")
    sale_order_id = fields.Many2one(related="ticket_id.sale_order_id")
    lot_ids = fields.Many2many(related="ticket_id.lot_ids", string="Lots / serials")
    user_id = fields.Many2one(related="ticket_id.user_id", string="Handled by")
    investigation_title = fields.Char(related="investigation_id.title", string="Problem")
    investigation_description = fields.Html(
        related="investigation_id.description", string="Problem statement"
    )
    investigation_user_id = fields.Many2one(
        related="investigation_id.user_id", string="Investigated by"
    )
    investigation_approved_by_id = fields.Many2one(
        related="investigation_id.approved_by_id", string="Approved by"
    )
    inspection_ids = fields.One2many(related="investigation_id.inspection_ids")
    test_ids = fields.One2many(related="investigation_id.test_ids")
    why_ids = fields.One2many(related="investigation_id.why_ids")
    why_conclusion = fields.Char(related="investigation_id.qc8d_why_conclusion")
    fishbone_cause_ids = fields.One2many(related="investigation_id.fishbone_cause_ids")
    remedy_ids = fields.One2many(related="ticket_id.remedy_ids", string="Remedy plans")
    action_ids = fields.One2many(related="investigation_id.action_ids", string="Corrective actions")
    verification_ids = fields.Many2many(
        "quality.complaint.action.verification",
        string="Verifications",
        compute="_compute_verification_ids",
    )
    feedback_state = fields.Selection(related="ticket_id.qc_feedback_state")
    feedback_date = fields.Datetime(related="ticket_id.qc_feedback_date")
    feedback_note = fields.Text(related="ticket_id.qc_feedback_note")
    followup_state = fields.Selection(related="ticket_id.qc_followup_state")
    followup_outcome = fields.Selection(related="ticket_id.qc_followup_outcome")
    followup_date = fields.Datetime(related="ticket_id.qc_followup_date")
    followup_note = fields.Text(related="ticket_id.qc_followup_note")
    currency_id = fields.Many2one(related="company_id.currency_id")
    remedy_cost = fields.Monetary(
        related="ticket_id.qc_remedy_cost",
        currency_field="currency_id",
        groups="quality_complaint.group_complaint_officer",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.name AS name,
                   t.number AS number,
                   t.registered_date AS date,
                   t.closed_date AS closed_date,
                   t.company_id AS company_id,
                   t.commercial_partner_id AS partner_id,
                   t.stage_id AS stage_id,
                   t.product_id AS product_id,
                   product.product_tmpl_id AS product_tmpl_id,
                   tmpl.categ_id AS categ_id,
                   t.qc_lot_id AS lot_id,
                   t.qc_supplier_id AS supplier_id,
                   t.defect_category_id AS defect_category_id,
                   t.grade_id AS grade_id,
                   t.investigation_id AS investigation_id,
                   inv.root_cause_category AS root_cause_category,
                   inv.root_cause_summary AS root_cause_summary,
                   t.qc_days_to_close AS days_to_close
              FROM helpdesk_ticket t
              JOIN helpdesk_ticket_stage stage ON stage.id = t.stage_id
         LEFT JOIN product_product product ON product.id = t.product_id
         LEFT JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
         LEFT JOIN quality_complaint_investigation inv ON inv.id = t.investigation_id
             WHERE t.is_quality_complaint
               AND t.registered_date IS NOT NULL
               AND t.active
               -- a duplicate merged into its first complaint is that case
               AND t.duplicate_id IS NULL
               AND stage.closed
               -- a cancelled complaint is no case to learn from
               AND NOT COALESCE(stage.qc_cancels, FALSE)
            """
        )

    # ------------------------------------------------------------ computes
    def _compute_search_text(self):
        self.search_text = False

    @api.depends("action_ids")
    def _compute_verification_ids(self):
        for case in self:
            case.verification_ids = case.sudo().action_ids.verification_ids

    @api.model
    def _case_text_sql(self, pattern):
        """SQL: the ids of the complaints whose written story matches ``pattern``."""
        parts = []
        for table, link, columns in TEXT_SOURCES:
            match = SQL(" OR ").join(
                SQL("x.%s::text ILIKE %s", SQL.identifier(column), pattern) for column in columns
            )
            if table == "helpdesk_ticket":
                parts.append(SQL("SELECT x.id FROM helpdesk_ticket x WHERE %s", match))
            elif link == "ticket":
                parts.append(
                    SQL("SELECT x.ticket_id FROM %s x WHERE %s", SQL.identifier(table), match)
                )
            else:
                key = "id" if table == "quality_complaint_investigation" else "investigation_id"
                parts.append(
                    SQL(
                        "SELECT t.id FROM helpdesk_ticket t JOIN %s x ON x.%s = t.investigation_id"
                        " WHERE %s",
                        SQL.identifier(table),
                        SQL.identifier(key),
                        match,
                    )
                )
        parts.append(
            SQL(
                """SELECT t.id FROM helpdesk_ticket t
                     JOIN quality_complaint_action a ON a.investigation_id = t.investigation_id
                     JOIN quality_complaint_action_verification x ON x.action_id = a.id
                    WHERE x.notes ILIKE %s OR x.measure ILIKE %s""",
                pattern,
                pattern,
            )
        )
        return SQL(" UNION ").join(parts)

    def _search_search_text(self, operator, value):
        if not isinstance(value, str) or not value.strip():
            return Domain.TRUE
        pattern = f"%{value.strip()}%"
        negative = operator in ("not ilike", "not like", "!=", "not in")
        in_sql = SQL("NOT IN") if negative else SQL("IN")
        return Domain.custom(
            to_sql=lambda model, alias, query: SQL(
                "%s %s (%s)",
                SQL.identifier(alias, "id"),
                in_sql,
                self._case_text_sql(pattern),
            )
        )

    # ------------------------------------------------------------ buttons
    @role(CUSTOMER_SERVICE)
    def action_open_complaint(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": self.ticket_id.id,
            "view_mode": "form",
        }

    @role(CUSTOMER_SERVICE)
    def action_open_investigation(self):
        self.ensure_one()
        return self.investigation_id.action_open_form()
