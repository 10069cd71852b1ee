"""Pick-up, replacement and gift (docs/process.md §5): stock transfers of the customer's goods.

- pick-up: a return transfer of the complaint's original delivery, made with
  Odoo's return wizard, same lots, received where quality inspects them (the
  company's inspection location); the returned unit becomes the subject of an
  inspection of the complaint's investigation;
- replacement and gift: an outgoing delivery to the customer, free of charge (no
  sale order, so nothing is invoiced), never from a lot under investigation nor
  from a lot on quality hold (quality_complaint_action).

The remedy is executed when its transfer (and any backorder of it) is validated:
stock_picking.py calls ``_qc_pickings_done``.
"""

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .helpdesk_ticket import OPEN_STATES

DELIVERY_ACTIONS = ("return", "replacement", "gift")
SHIPPING_ACTIONS = ("replacement", "gift")


class QualityComplaintRemedyDelivery(models.AbstractModel):
    _name = "quality.complaint.remedy.delivery"
    _inherit = ["quality.complaint.remedy.document"]
    _description = "Remedy: transfers"

    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", readonly=True, copy=False, index="btree_not_null"
    )

    # ------------------------------------------------------------ executors
    def _qc_execute_replacement(self):
        """Ship a new unit to the customer, free of charge."""
        return self._qc_ship_free()

    def _qc_execute_gift(self):
        """Ship the gift to the customer, free of charge."""
        return self._qc_ship_free()

    def _qc_ship_free(self):
        self.ensure_one()
        ticket = self.ticket_id
        product = self.product_id
        if not product:
            raise UserError(
                self.env._("%(remedy)s: choose the gift's product.", remedy=self.name)
                if self.action == "gift"
                else self.env._("%(remedy)s: choose the product to ship.", remedy=self.name)
            )
        if product.type != "consu":
            raise UserError(
                self.env._(
                    "%(remedy)s: %(product)s is a service; only goods are shipped.",
                    remedy=self.name,
                    product=product.display_name,
                )
            )
        self._qc_check_lots_shippable(self.lot_ids)
        order = ticket.sale_order_id
        partner = order.partner_shipping_id
        if not partner and ticket.partner_id:
            partner = partner.browse(ticket.partner_id.address_get(["delivery"])["delivery"])
        if not partner:
            raise UserError(
                self.env._(
                    "%(remedy)s: the complaint has no customer to ship to.", remedy=self.name
                )
            )
        warehouse = self._qc_warehouse()
        picking_type = warehouse.out_type_id
        source = picking_type.default_location_src_id
        destination = picking_type.default_location_dest_id or self.env.ref(
            "stock.stock_location_customers"
        )
        reference = ticket.number or ticket.name
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner.id,
                "company_id": warehouse.company_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                # not from a sale order: nothing of it is invoiced
                "origin": reference,
                "note": self.env._(
                    "Free of charge (not invoiced): %(remedy)s for complaint %(ticket)s.",
                    remedy=self.name,
                    ticket=reference,
                ),
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": self.quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "partner_id": partner.id,
                            "company_id": warehouse.company_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        self._qc_reserve(picking)
        self._qc_write_protected({"picking_id": picking.id})
        return picking

    # ------------------------------------------------------------ helpers
    def _qc_warehouse(self):
        self.ensure_one()
        company = self.ticket_id.company_id or self.env.company
        order = self.ticket_id.sale_order_id
        warehouse = (
            order.warehouse_id
            if order.warehouse_id.company_id == company
            else self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        )
        if not warehouse:
            raise UserError(
                self.env._("%(company)s has no warehouse to ship from.", company=company.name)
            )
        return warehouse

    def _qc_lots_under_investigation(self, lots=None, product=None):
        """{lot: open investigation} of ``lots`` (or of every lot of ``product``).

        Read as superuser: whoever ships (customer service, the warehouse) must be
        stopped even when they cannot read investigations."""
        domain = [("state", "in", OPEN_STATES)]
        if lots is not None:
            if not lots:
                return {}
            domain.append(("lot_ids", "in", lots.ids))
        else:
            domain.append(("lot_ids.product_id", "=", product.id))
        result = {}
        for investigation in (
            self.env["quality.complaint.investigation"].sudo().search(domain, order="id")
        ):
            for lot in investigation.lot_ids:
                if (lots is None or lot in lots) and lot not in result:
                    result[lot] = investigation
        return result

    def _qc_lots_not_shipped(self, product):
        """{lot: why} of the lots of ``product`` that a replacement or gift does not
        ship: those under an open investigation, in one exclusion. As superuser, as
        above. Extended by quality_complaint_action (lots on quality hold)."""
        return {
            lot: self.env._(
                "under investigation (%(investigation)s)", investigation=investigation.name
            )
            for lot, investigation in self._qc_lots_under_investigation(product=product).items()
        }

    def _qc_check_lots_shippable(self, lots):
        """Refuse to ship ``lots`` if one is under investigation. Extended by
        quality_complaint_action (lots on quality hold)."""
        blocked = self._qc_lots_under_investigation(lots.sudo())
        if blocked:
            lot, investigation = next(iter(blocked.items()))
            raise UserError(
                self.env._(
                    "Lot %(lot)s is under investigation (%(investigation)s): it is not "
                    "shipped to customers. Choose another lot.",
                    lot=lot.name,
                    investigation=investigation.name,
                )
            )

    def _qc_reserve(self, picking):
        """Reserve as usual (quality_complaint_action leaves the lots on quality hold), then give
        back what was taken from a lot the remedy does not ship (on hold, under
        investigation, or outside the remedy's lots) and take other lots instead.
        When no other lot is there, the transfer and the remedy say so."""
        picking.action_assign()
        for move in picking.move_ids.filtered(lambda m: m.product_id.tracking != "none"):
            blocked = self._qc_lots_not_shipped(product=move.product_id)
            refused = move.move_line_ids.filtered(
                lambda ml, b=blocked: (
                    ml.lot_id
                    and (ml.lot_id in b or (self.lot_ids and ml.lot_id not in self.lot_ids))
                )
            )
            if refused or self.lot_ids:
                refused.unlink()
                domain = [
                    ("product_id", "=", move.product_id.id),
                    ("location_id", "child_of", move.location_id.id),
                    ("lot_id", "not in", [lot.id for lot in blocked]),
                    ("quantity", ">", 0),
                ]
                if self.lot_ids:
                    domain.append(("lot_id", "in", self.lot_ids.ids))
                quants = self.env["stock.quant"].search(domain, order="in_date, id")
                for lot in quants.lot_id:
                    need = move.product_uom_qty - move.quantity
                    if move.product_uom.compare(need, 0) <= 0:
                        break
                    move._update_reserved_quantity(need, move.location_id, lot_id=lot, strict=False)
                move._recompute_state()
            self._qc_note_lots_left(move, blocked)

    def _qc_note_lots_left(self, move, blocked):
        """``move`` is not fully reserved while lots of ``blocked`` ({lot: why}) are
        in stock where it ships from: tell the transfer and the remedy why."""
        missing = move.product_uom_qty - move.quantity
        if move.product_uom.compare(missing, 0) <= 0 or not blocked:
            return
        in_stock = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("product_id", "=", move.product_id.id),
                    ("location_id", "child_of", move.location_id.id),
                    ("lot_id", "in", [lot.id for lot in blocked]),
                    ("quantity", ">", 0),
                ]
            )
            .lot_id
        )
        if not in_stock:
            return
        body = self.env._(
            "%(product)s: no lot that may be shipped to the customer is available for "
            "%(missing)s %(uom)s. Not shipped: %(lots)s. The transfer waits for another "
            "lot, or until these may be shipped.",
            product=move.product_id.display_name,
            missing=f"{missing:g}",
            uom=move.product_uom.name,
            lots="; ".join(f"{lot.name} {blocked[lot]}" for lot in in_stock.sorted("name")),
        )
        move.picking_id.message_post(body=body, subtype_xmlid="mail.mt_note")
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _qc_pickings(self):
        """The transfers of the remedies with their backorders."""
        pickings = self.picking_id
        backorders = pickings.backorder_ids
        while backorders - pickings:
            pickings |= backorders
            backorders = pickings.backorder_ids
        return pickings

    def _qc_check_pickings_lots(self, pickings):
        """Validating ``pickings`` of replacements or gifts: none of their lots is
        under investigation."""
        shipping = self.filtered(lambda r: r.action in SHIPPING_ACTIONS)
        if not shipping:
            return
        lines = (pickings & shipping._qc_pickings()).move_ids.move_line_ids.filtered(
            lambda ml: ml.quantity > 0
        )
        blocked = self._qc_lots_under_investigation(lines.lot_id.sudo())
        if blocked:
            lot, investigation = next(iter(blocked.items()))
            raise UserError(
                self.env._(
                    "%(picking)s ships lot %(lot)s, which is under investigation "
                    "(%(investigation)s): take another lot before validating.",
                    picking=", ".join(
                        lines.filtered(lambda ml: ml.lot_id == lot).picking_id.mapped("name")
                    ),
                    lot=lot.name,
                    investigation=investigation.name,
                )
            )

    def _qc_pickings_done(self):
        """Transfers of the remedies were validated: those whose transfers are all
        finished are executed; returned units go to the investigation."""
        finished = self.filtered(
            lambda r: (
                r.action in DELIVERY_ACTIONS
                and r.state in ("approved", "in_progress")
                and all(p.state in ("done", "cancel") for p in r._qc_pickings())
                and any(p.state == "done" for p in r._qc_pickings())
            )
        )
        finished._qc_inspect_returned_units()
        finished._qc_document_done()
        return super()._qc_pickings_done()

    # ------------------------------------------------------------ document hooks
    def _qc_document_facts(self):
        self.ensure_one()
        if self.action not in DELIVERY_ACTIONS or not self.picking_id:
            return super()._qc_document_facts()
        reference = ", ".join(self._qc_pickings().mapped("name"))
        pickings = self._qc_pickings().filtered(lambda p: p.state != "cancel")
        done = pickings.filtered(lambda p: p.state == "done")
        if done and done == pickings:
            date = format_date(
                self.env, fields.Datetime.context_timestamp(self, max(done.mapped("date_done")))
            )
            info = (
                self.env._("Collected on %(date)s (%(ref)s)", date=date, ref=reference)
                if self.action == "return"
                else self.env._("Shipped on %(date)s (%(ref)s)", date=date, ref=reference)
            )
        elif self.state == "cancelled" or not pickings:
            info = False
        else:
            info = (
                self.env._("Pick-up %(ref)s being arranged", ref=reference)
                if self.action == "return"
                else self.env._("Shipment %(ref)s being prepared", ref=reference)
            )
        return reference, info

    def _qc_document_link(self):
        self.ensure_one()
        if self.action not in DELIVERY_ACTIONS or not self.picking_id:
            return super()._qc_document_link()
        return "picking_id", self.picking_id.name

    def _qc_documents_action(self):
        pickings = self.filtered(lambda r: r.action in DELIVERY_ACTIONS)._qc_pickings()
        if not pickings:
            return super()._qc_documents_action()
        return self._qc_pickings_action(pickings)

    def _qc_cancel_documents(self):
        self.filtered(lambda r: r.action in DELIVERY_ACTIONS)._qc_pickings().filtered(
            lambda p: p.state not in ("done", "cancel")
        ).action_cancel()
        return super()._qc_cancel_documents()
