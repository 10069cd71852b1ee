"""What the customer bought (docs/process.md §1, Table 1 "product"): the sale order, the
order line, the product and the lots actually delivered to the customer."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class QualityComplaintTicketOrder(models.AbstractModel):
    """Order and lots concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.order"
    _description = "Complaint order, product and lots"
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
        groups="base.group_user",
    )
    qc_warranty_end_date = fields.Date(
        string="Warranty until",
        compute="_compute_qc_warranty_end_date",
        groups="base.group_user",
        help="The warranty end of the lots / serial numbers, as extended by the remedies "
        "of earlier complaints (the earliest when they differ).",
    )
    allowed_lot_ids = fields.Many2many(
        "stock.lot",
        compute="_compute_allowed_lot_ids",
        help="Lots delivered to the customer on the sale order.",
        groups="base.group_user",
    )
    purchase_date = fields.Date(
        compute="_compute_purchase_date",
        store=True,
        readonly=False,
        tracking=True,
    )
    delivered_qty = fields.Float(
        string="Delivered quantity",
        compute="_compute_delivered_qty",
        digits="Product Unit",
        help="Quantity of the product delivered to the customer on the order, returns deducted.",
    )
    # Table 1 - problem

    # ------------------------------------------------------------ computes
    @api.depends("sale_order_id")
    def _compute_purchase_date(self):
        """The day of the delivery (or order) in the company's time zone, the same
        for whoever creates the complaint; see ``_qc_company_today``."""
        for ticket in self:
            order = ticket.sale_order_id
            if order:
                moment = order.effective_date or order.date_order
                ticket.purchase_date = ticket._qc_company_today(moment)
            else:
                ticket.purchase_date = ticket.purchase_date

    @api.depends("lot_ids.qc_warranty_end_date")
    def _compute_qc_warranty_end_date(self):
        for ticket in self:
            ends = ticket.lot_ids.filtered("qc_warranty_end_date").mapped("qc_warranty_end_date")
            ticket.qc_warranty_end_date = min(ends) if ends else False

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

    # ------------------------------------------------------------ helpers
    def _qc_company_today(self, moment=None):
        """The date of ``moment`` (default: now) in the time zone of the complaint's
        company, so that a purchase date means the same day to every user.

        The company's time zone is the one of its partner (the company's address,
        set in the company form); without one, UTC. The working calendar's time zone
        is not used: it describes working hours, not where the company is.
        """
        company = self.company_id or self.env.company
        tz = company.partner_id.tz or "UTC"
        return fields.Date.context_today(self.with_context(tz=tz), moment)

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
        complaints = self.filtered("is_quality_complaint")
        delivered_lots = complaints._qc_delivered_lots()
        for ticket in complaints:
            ticket._qc_check_lot_products()
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
            if ticket.purchase_date and ticket.purchase_date > ticket._qc_company_today():
                raise ValidationError(
                    self.env._(
                        "%(ticket)s: the purchase date %(date)s is in the future.",
                        ticket=ticket.display_name,
                        date=ticket.purchase_date,
                    )
                )

    def _qc_check_lot_products(self):
        """Lots of another product are named as such, before any check of the
        order: such a lot may well have been delivered on the same order."""
        self.ensure_one()
        wrong_lots = self.lot_ids.filtered(lambda lot: lot.product_id != self.product_id)
        if wrong_lots and self.product_id:
            raise ValidationError(
                self.env._(
                    "Lot %(lot)s is a lot of %(lot_product)s, not of %(product)s.",
                    lot=wrong_lots[0].name,
                    lot_product=wrong_lots[0].product_id.display_name,
                    product=self.product_id.display_name,
                )
            )
        if wrong_lots:
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

    # ------------------------------------------------------------ hooks
    def _qc_prepare_order_vals(self, vals_list):
        """Create hook: the product from the order line, the line from the order."""
        lines = self._qc_records_in(vals_list, "sale_line_id")
        orders = self._qc_records_in(vals_list, "sale_order_id")
        for vals in vals_list:
            if vals.get("sale_line_id") and not vals.get("product_id"):
                vals["product_id"] = lines[vals["sale_line_id"]].product_id.id
            if (
                vals.get("sale_order_id")
                and vals.get("product_id")
                and not vals.get("sale_line_id")
            ):
                line = orders[vals["sale_order_id"]].order_line.filtered(
                    lambda ol, v=vals: ol.product_id.id == v["product_id"]
                )[:1]
                vals["sale_line_id"] = line.id
