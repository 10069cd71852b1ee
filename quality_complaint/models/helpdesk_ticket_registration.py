"""Intake and registration of a complaint (docs/process.md §1): the Table-1 facts, the
checklist of what is missing, the acknowledgement."""

import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, html2plaintext

CUSTOMER_REQUESTS = [
    ("return", "Return / refund"),
    ("exchange", "Exchange"),
    ("repair", "Repair"),
    ("compensation", "Compensation"),
    ("other", "Other"),
]

IMPACT_LEVELS = [
    ("cosmetic", "Cosmetic flaw"),
    ("minor_function", "Minor function affected, still usable"),
    ("main_function", "Main function lost"),
    ("safety", "Safety hazard"),
]


class QualityComplaintTicketRegistration(models.AbstractModel):
    """Registration concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.registration"
    _description = "Complaint registration (Table 1)"

    is_quality_complaint = fields.Boolean(
        string="Quality complaint",
        compute="_compute_is_quality_complaint",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="This ticket is a customer complaint about product quality.",
    )
    complaint_state = fields.Selection(
        [("draft", "Being registered"), ("registered", "Registered")],
        string="Complaint status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    registered_date = fields.Datetime(copy=False, readonly=True, groups="base.group_user")
    registered_by_id = fields.Many2one(
        "res.users", copy=False, readonly=True, groups="base.group_user"
    )
    partner_phone = fields.Char(
        string="Phone",
        compute="_compute_partner_phone",
        store=True,
        readonly=False,
    )
    affected_qty = fields.Float(
        string="Affected quantity",
        default=1.0,
        digits="Product Unit",
    )
    occurrence = fields.Text(
        string="When / where it happens",
        help="When and where the defect shows (at unpacking, after a week of use, "
        "only when hot, ...).",
    )
    impact_level = fields.Selection(IMPACT_LEVELS, string="Impact", tracking=True)
    defect_category_id = fields.Many2one(
        "quality.complaint.defect.category",
        string="Defect category",
        tracking=True,
        index="btree_not_null",
        groups="base.group_user",
    )
    # Table 1 - customer request and evidence
    customer_request = fields.Selection(CUSTOMER_REQUESTS, tracking=True)
    customer_request_note = fields.Char(string="Request details")
    evidence_count = fields.Integer(
        string="Evidence",
        compute="_compute_evidence_count",
        help="Photos, videos and test reports attached to the complaint.",
    )
    details_confirmed = fields.Boolean(
        string="Details confirmed with customer",
        tracking=True,
        copy=False,
        help="Tick once the vague points were re-confirmed with the customer.",
        groups="base.group_user",
    )
    # Registration checklist
    registration_missing = fields.Text(
        compute="_compute_registration_checklist", groups="base.group_user"
    )
    registration_to_confirm = fields.Text(
        compute="_compute_registration_checklist", groups="base.group_user"
    )

    # ------------------------------------------------------------ computes
    @api.depends("team_id")
    def _compute_is_quality_complaint(self):
        for ticket in self:
            ticket.is_quality_complaint = (
                ticket.is_quality_complaint or ticket.team_id.qc_is_quality_team
            )

    @api.depends("partner_id")
    def _compute_partner_phone(self):
        for ticket in self:
            if ticket.partner_id.phone:
                ticket.partner_phone = ticket.partner_id.phone
            else:
                ticket.partner_phone = ticket.partner_phone

    @api.depends("attachment_ids")
    def _compute_evidence_count(self):
        groups = self.env["ir.attachment"]._read_group(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)],
            ["res_id"],
            ["__count"],
        )
        counts = dict(groups)
        for ticket in self:
            ticket.evidence_count = counts.get(ticket.id, 0)

    @api.depends(
        "is_quality_complaint",
        "partner_id",
        "partner_email",
        "partner_phone",
        "sale_order_id",
        "product_id",
        "lot_ids",
        "purchase_date",
        "affected_qty",
        "description",
        "occurrence",
        "impact_level",
        "defect_category_id",
        "customer_request",
        "details_confirmed",
        "evidence_count",
    )
    def _compute_registration_checklist(self):
        for ticket in self:
            if not ticket.is_quality_complaint:
                ticket.registration_missing = False
                ticket.registration_to_confirm = False
                continue
            missing = ticket._qc_missing_items()
            to_confirm = ticket._qc_items_to_confirm()
            ticket.registration_missing = "\n".join(missing) or False
            ticket.registration_to_confirm = "\n".join(to_confirm) or False

    # ------------------------------------------------------------ helpers
    def _qc_description_text(self):
        self.ensure_one()
        return html2plaintext(self.description or "").strip()

    def _qc_missing_items(self):
        """Mandatory Table 1 items still empty, as user-readable labels."""
        self.ensure_one()
        missing = []
        if not self.partner_id:
            missing.append(self.env._("Customer"))
        if not (
            self.partner_email
            or self.partner_phone
            or self.partner_id.email
            or self.partner_id.phone
        ):
            missing.append(self.env._("Customer contact (e-mail or phone)"))
        if not self.product_id:
            missing.append(self.env._("Product"))
        elif self.product_id.tracking != "none" and not self.lot_ids:
            missing.append(self.env._("Lot / serial number"))
        if not self.purchase_date:
            missing.append(self.env._("Purchase date"))
        if float_compare(self.affected_qty, 0.0, precision_digits=6) <= 0:
            missing.append(self.env._("Affected quantity"))
        if not self._qc_description_text():
            missing.append(self.env._("Defect description"))
        if not self.occurrence:
            missing.append(self.env._("When / where it happens"))
        if not self.impact_level:
            missing.append(self.env._("Impact"))
        if not self.defect_category_id:
            missing.append(self.env._("Defect category"))
        if not self.customer_request:
            missing.append(self.env._("Customer request"))
        if self.defect_category_id.evidence_required and not self.evidence_count:
            missing.append(
                self.env._(
                    "Evidence (photo, video or test report): required for %s",
                    self.defect_category_id.name,
                )
            )
        return missing

    def _qc_description_is_vague(self):
        self.ensure_one()
        text = self._qc_description_text().lower()
        if not text:
            return False
        company = self.company_id or self.env.company
        words = re.findall(r"\w+", text)
        if len(words) < company.qc_min_description_words:
            return True
        return any(term in text for term in company._qc_vague_terms())

    def _qc_items_to_confirm(self):
        """Points to re-confirm with the customer (they do not block registration)."""
        self.ensure_one()
        items = []
        if not self.details_confirmed:
            if self._qc_description_is_vague():
                items.append(
                    self.env._(
                        "The defect description is vague: ask the customer what "
                        "exactly happens, then tick 'Details confirmed'."
                    )
                )
            if self.defect_category_id.confirmation_hint:
                items.append(self.defect_category_id.confirmation_hint)
        if not self.sale_order_id:
            items.append(self.env._("No sale order: ask for the order or invoice number."))
        if not self.evidence_count and not self.defect_category_id.evidence_required:
            items.append(self.env._("No photo or video attached yet: ask the customer for one."))
        return items

    # ------------------------------------------------------------ hooks
    @api.model
    def _qc_records_in(self, vals_list, field_name):
        """{id: record} of the many2one ``field_name`` in create values, browsed
        together so that reading them costs one query."""
        comodel = self.env[self._fields[field_name].comodel_name]
        records = comodel.browse({vals[field_name] for vals in vals_list if vals.get(field_name)})
        return {record.id: record for record in records}

    def _qc_prepare_registration_vals(self, vals_list):
        """Create hook: the customer's name and e-mail from the order or the partner."""
        orders = self._qc_records_in(vals_list, "sale_order_id")
        for vals in vals_list:
            if vals.get("sale_order_id") and not vals.get("partner_id"):
                customer = orders[vals["sale_order_id"]].partner_id
                vals["partner_id"] = customer.id
                vals.setdefault("partner_name", customer.name)
                vals.setdefault("partner_email", customer.email)
        partners = self._qc_records_in(vals_list, "partner_id")
        for vals in vals_list:
            if vals.get("partner_id") and not vals.get("partner_email"):
                partner = partners[vals["partner_id"]]
                vals["partner_email"] = partner.email
                vals.setdefault("partner_name", partner.name)

    def _qc_check_registrable(self):
        """Registration hook: every complaint is complete, or nothing is registered."""
        if self.filtered(lambda t: t.complaint_state == "draft"):
            self._qc_acknowledgement_template()
        for ticket in self:
            if not ticket.is_quality_complaint:
                raise UserError(
                    self.env._(
                        "%(ticket)s is not a quality complaint: mark it as one first.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.complaint_state != "draft":
                continue
            missing = ticket._qc_missing_items()
            if missing:
                raise UserError(
                    self.env._(
                        "%(ticket)s cannot be registered yet. Still missing:\n%(items)s",
                        ticket=ticket.display_name,
                        items="\n".join(f"- {item}" for item in missing),
                    )
                )

    def _qc_on_register(self):
        """Registration hook: record who registered the complaints and when."""
        self.sudo().write(
            {
                "complaint_state": "registered",
                "registered_date": fields.Datetime.now(),
                "registered_by_id": self.env.user.id,
            }
        )
