import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
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


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

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
        copy=False,
        tracking=True,
    )
    registered_date = fields.Datetime(copy=False, readonly=True)
    registered_by_id = fields.Many2one("res.users", copy=False, readonly=True)
    ack_sent_date = fields.Datetime(
        string="Acknowledged on",
        copy=False,
        readonly=True,
        help="When the 'complaint received' e-mail went to the customer.",
    )

    # Table 1 - customer
    partner_phone = fields.Char(
        string="Phone",
        compute="_compute_partner_phone",
        store=True,
        readonly=False,
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sale order",
        index="btree_not_null",
        tracking=True,
        domain="[('state', '=', 'sale'), ('partner_id', 'child_of', commercial_partner_id)]"
        " if commercial_partner_id else [('state', '=', 'sale')]",
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Order line",
        index="btree_not_null",
        domain="[('order_id', '=', sale_order_id), ('display_type', '=', False)]",
    )
    # Table 1 - product
    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        tracking=True,
        domain="[('type', '=', 'consu')]",
    )
    product_tracking = fields.Selection(related="product_id.tracking")
    lot_ids = fields.Many2many(
        "stock.lot",
        "helpdesk_ticket_stock_lot_rel",
        "ticket_id",
        "lot_id",
        string="Lots / serial numbers",
        domain="[('id', 'in', allowed_lot_ids)] if sale_order_id"
        " else [('product_id', '=?', product_id)]",
    )
    allowed_lot_ids = fields.Many2many(
        "stock.lot",
        compute="_compute_allowed_lot_ids",
        help="Lots delivered to the customer on the sale order.",
    )
    purchase_date = fields.Date(
        compute="_compute_purchase_date",
        store=True,
        readonly=False,
        tracking=True,
    )
    affected_qty = fields.Float(
        string="Affected quantity",
        default=1.0,
        digits="Product Unit",
    )
    delivered_qty = fields.Float(
        string="Delivered quantity",
        compute="_compute_delivered_qty",
        digits="Product Unit",
        help="Quantity of the product delivered to the customer on the order, returns deducted.",
    )
    # Table 1 - problem
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
    )
    # Registration checklist
    registration_missing = fields.Text(compute="_compute_registration_checklist")
    registration_to_confirm = fields.Text(compute="_compute_registration_checklist")

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

    @api.depends("sale_order_id")
    def _compute_purchase_date(self):
        for ticket in self:
            order = ticket.sale_order_id
            if order:
                moment = order.effective_date or order.date_order
                ticket.purchase_date = fields.Date.context_today(ticket, moment)
            else:
                ticket.purchase_date = ticket.purchase_date

    @api.depends("sale_order_id", "product_id")
    def _compute_allowed_lot_ids(self):
        delivered = self._qc_delivered_lots()
        for ticket in self:
            ticket.allowed_lot_ids = delivered.get(ticket.id, self.env["stock.lot"])

    @api.depends("sale_order_id", "sale_line_id", "product_id")
    def _compute_delivered_qty(self):
        for ticket in self:
            lines = ticket._qc_order_lines()
            ticket.delivered_qty = sum(
                line.product_uom_id._compute_quantity(line.qty_delivered, line.product_id.uom_id)
                for line in lines
            )

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
    def _qc_order_lines(self):
        """Order lines of the complained product on the ticket's order."""
        self.ensure_one()
        if self.sale_line_id:
            return self.sale_line_id
        if not (self.sale_order_id and self.product_id):
            return self.env["sale.order.line"]
        return self.sale_order_id.order_line.filtered(
            lambda line: line.product_id == self.product_id
        )

    def _qc_delivered_lots(self):
        """Lots delivered to the customer on each ticket's order.

        One query for the whole recordset: {ticket id: stock.lot recordset}.
        """
        tickets = self.filtered("sale_order_id")
        if not tickets:
            return {}
        move_lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("move_id.sale_line_id.order_id", "in", tickets.sale_order_id.ids),
                    ("state", "=", "done"),
                    ("lot_id", "!=", False),
                    ("location_dest_id.usage", "=", "customer"),
                ]
            )
        )
        result = {}
        for ticket in tickets:
            lines = move_lines.filtered(
                lambda ml, t=ticket: (
                    ml.move_id.sale_line_id.order_id == t.sale_order_id
                    and (not t.product_id or ml.product_id == t.product_id)
                )
            )
            result[ticket.id] = lines.lot_id.sudo(False)
        return result

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

    # ------------------------------------------------------------ onchanges
    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order = self.sale_order_id
        if not order:
            return
        if not self.partner_id:
            self.partner_id = order.partner_id
        if self.sale_line_id and self.sale_line_id.order_id != order:
            self.sale_line_id = False
        product_lines = order.order_line.filtered(
            lambda line: not line.display_type and line.product_id.type == "consu"
        )
        if self.product_id:
            same = product_lines.filtered(lambda line: line.product_id == self.product_id)
            if same and not self.sale_line_id:
                self.sale_line_id = same[:1]
        elif len(product_lines) == 1:
            self.sale_line_id = product_lines
        allowed = self.allowed_lot_ids
        self.lot_ids = self.lot_ids.filtered(lambda lot: lot in allowed)

    @api.onchange("sale_line_id")
    def _onchange_sale_line_id(self):
        if self.sale_line_id:
            self.product_id = self.sale_line_id.product_id

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.lot_ids and self.product_id:
            self.lot_ids = self.lot_ids.filtered(lambda lot: lot.product_id == self.product_id)
        if self.sale_line_id and self.sale_line_id.product_id != self.product_id:
            self.sale_line_id = False
        if self.product_id and self.sale_order_id and not self.sale_line_id:
            lines = self.sale_order_id.order_line.filtered(
                lambda line: line.product_id == self.product_id
            )
            self.sale_line_id = lines[:1]

    @api.onchange("lot_ids")
    def _onchange_lot_ids(self):
        if self.lot_ids and not self.product_id:
            self.product_id = self.lot_ids[:1].product_id

    # ------------------------------------------------------------ constraints
    @api.constrains(
        "is_quality_complaint",
        "sale_order_id",
        "sale_line_id",
        "product_id",
        "lot_ids",
        "affected_qty",
        "purchase_date",
        "partner_id",
    )
    def _check_complaint_registration(self):
        today = fields.Date.context_today(self)
        complaints = self.filtered("is_quality_complaint")
        delivered_lots = complaints._qc_delivered_lots()
        for ticket in complaints:
            ticket._qc_check_order(delivered_lots.get(ticket.id))
            if float_compare(ticket.affected_qty, 0.0, precision_digits=6) < 0 or (
                ticket.complaint_state == "registered" and ticket.affected_qty == 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(ticket)s: the affected quantity must be positive.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.purchase_date and ticket.purchase_date > today:
                raise ValidationError(
                    self.env._(
                        "%(ticket)s: the purchase date %(date)s is in the future.",
                        ticket=ticket.display_name,
                        date=ticket.purchase_date,
                    )
                )
            wrong_lots = ticket.lot_ids.filtered(
                lambda lot, t=ticket: lot.product_id != t.product_id
            )
            if wrong_lots and ticket.product_id:
                raise ValidationError(
                    self.env._(
                        "Lot %(lot)s is a lot of %(lot_product)s, not of %(product)s.",
                        lot=wrong_lots[0].name,
                        lot_product=wrong_lots[0].product_id.display_name,
                        product=ticket.product_id.display_name,
                    )
                )
            if wrong_lots and not ticket.product_id:
                raise ValidationError(
                    self.env._("Choose the product before its lots / serial numbers.")
                )

    def _qc_check_order(self, delivered_lots):
        self.ensure_one()
        order = self.sale_order_id
        if self.sale_line_id and self.sale_line_id.order_id != order:
            raise ValidationError(
                self.env._(
                    "Order line %(line)s does not belong to order %(order)s.",
                    line=self.sale_line_id.display_name,
                    order=order.name or "-",
                )
            )
        if not order:
            return
        customer = self.partner_id.commercial_partner_id
        if customer and order.partner_id.commercial_partner_id != customer:
            raise ValidationError(
                self.env._(
                    "Order %(order)s was sold to %(buyer)s, not to %(customer)s.",
                    order=order.name,
                    buyer=order.partner_id.commercial_partner_id.display_name,
                    customer=customer.display_name,
                )
            )
        if (
            self.sale_line_id
            and self.product_id
            and self.sale_line_id.product_id != self.product_id
        ):
            raise ValidationError(
                self.env._(
                    "Order line %(line)s is for %(line_product)s, not %(product)s.",
                    line=self.sale_line_id.display_name,
                    line_product=self.sale_line_id.product_id.display_name,
                    product=self.product_id.display_name,
                )
            )
        if self.product_id and not self._qc_order_lines():
            raise ValidationError(
                self.env._(
                    "Order %(order)s has no line for %(product)s.",
                    order=order.name,
                    product=self.product_id.display_name,
                )
            )
        not_delivered = self.lot_ids - (delivered_lots or self.env["stock.lot"])
        if not_delivered:
            raise ValidationError(
                self.env._(
                    "Lot %(lot)s was not delivered to %(customer)s on order %(order)s.",
                    lot=not_delivered[0].name,
                    customer=order.partner_id.display_name,
                    order=order.name,
                )
            )
        if self.product_id:
            delivered = self.delivered_qty
            rounding = self.product_id.uom_id.rounding
            if float_compare(self.affected_qty, delivered, precision_rounding=rounding) > 0:
                raise ValidationError(
                    self.env._(
                        "Only %(delivered)s %(uom)s of %(product)s were delivered on "
                        "order %(order)s: the affected quantity (%(qty)s) cannot be more.",
                        delivered=delivered,
                        uom=self.product_id.uom_id.name,
                        product=self.product_id.display_name,
                        order=order.name,
                        qty=self.affected_qty,
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse(
            [vals["sale_order_id"] for vals in vals_list if vals.get("sale_order_id")]
        )
        for vals in vals_list:
            if vals.get("sale_order_id") and not vals.get("partner_id"):
                order = orders.filtered(lambda o, v=vals: o.id == v["sale_order_id"])
                vals["partner_id"] = order.partner_id.id
                vals.setdefault("partner_name", order.partner_id.name)
                vals.setdefault("partner_email", order.partner_id.email)
            if vals.get("partner_id") and not vals.get("partner_email"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_email"] = partner.email
                vals.setdefault("partner_name", partner.name)
            if vals.get("sale_line_id") and not vals.get("product_id"):
                line = self.env["sale.order.line"].browse(vals["sale_line_id"])
                vals["product_id"] = line.product_id.id
            if (
                vals.get("sale_order_id")
                and vals.get("product_id")
                and not vals.get("sale_line_id")
            ):
                order = orders.filtered(lambda o, v=vals: o.id == v["sale_order_id"])
                line = order.order_line.filtered(
                    lambda ol, v=vals: ol.product_id.id == v["product_id"]
                )[:1]
                vals["sale_line_id"] = line.id
        return super().create(vals_list)

    # ------------------------------------------------------------ actions
    def action_make_quality_complaint(self):
        """Turn ordinary tickets (e-mail alias, portal form) into complaints."""
        for ticket in self:
            vals = {"is_quality_complaint": True}
            team = (ticket.company_id or self.env.company).qc_team_id
            if team and not ticket.team_id.qc_is_quality_team:
                vals["team_id"] = team.id
            ticket.write(vals)
        return True

    def action_register_complaint(self):
        """Complete the registration: check Table 1, acknowledge the customer once."""
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
        to_register = self.filtered(lambda t: t.complaint_state == "draft")
        to_register.write(
            {
                "complaint_state": "registered",
                "registered_date": fields.Datetime.now(),
                "registered_by_id": self.env.user.id,
            }
        )
        to_register._qc_send_acknowledgement()
        return True

    def _qc_send_acknowledgement(self):
        """Send the 'complaint received' e-mail, once per complaint."""
        template = self.env.ref(
            "quality_complaint.mail_template_complaint_acknowledgement",
            raise_if_not_found=False,
        )
        pending = self.filtered(lambda t: not t.ack_sent_date and t.partner_id)
        if not template or not pending:
            return
        pending._qc_post_template(template)
        pending.write({"ack_sent_date": fields.Datetime.now()})

    def _qc_post_template(self, template):
        """Post ``template`` on every ticket as a message to its recipients.

        One composer for the whole recordset: the messages are rendered in batch.
        """
        if not self:
            return
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        composer = (
            self.env["mail.compose.message"]
            .with_context(
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=self.ids,
                default_template_id=template.id,
            )
            .create({"message_type": "comment", "subtype_id": comment})
        )
        composer._action_send_mail()

    def _qc_action_for(self, domain, context=None, name=None):
        """Window action on the complaints matching ``domain``."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "quality_complaint.action_quality_complaints"
        )
        action["domain"] = [("is_quality_complaint", "=", True), *domain]
        action["context"] = dict(context or {}, default_is_quality_complaint=True)
        if name:
            action["name"] = name
        return action

    @api.model
    def _qc_count_by(self, groupby, domain):
        """Number of complaints per value of ``groupby``, in one query: {id: count}."""
        groups = self._read_group(
            [("is_quality_complaint", "=", True), *domain], [groupby], ["__count"]
        )
        return {record.id: count for record, count in groups}

    def action_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
