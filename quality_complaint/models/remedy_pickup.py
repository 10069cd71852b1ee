"""Pick-up of the defective units (docs/process.md §5): a return transfer of the complaint's
original delivery, made with Odoo's return wizard, same lots, received where
quality inspects them; once validated, the returned unit becomes the subject of
an inspection of the complaint's investigation. The return updates the order's
quantities (Odoo's "to_refund") only when the plan refunds the units. The
transfer's life (facts, cancellation, validation) is shared with the shipments in
remedy_delivery.py."""

from collections import defaultdict

from odoo import Command, models
from odoo.exceptions import UserError

from .helpdesk_ticket import OPEN_STATES


class QualityComplaintRemedyPickup(models.AbstractModel):
    _name = "quality.complaint.remedy.pickup"
    _inherit = ["quality.complaint.remedy.document"]
    _description = "Remedy: pick-up"

    # ------------------------------------------------------------ executor
    def _qc_execute_return(self):
        """Pick the defective units up: a return of the customer's delivery."""
        self.ensure_one()
        ticket = self.ticket_id
        product = self.product_id or ticket.product_id
        lots = self.lot_ids or ticket.lot_ids.filtered(lambda lot: lot.product_id == product)
        order = ticket.sale_order_id
        deliveries = order.picking_ids.filtered(
            lambda p: (
                p.state == "done"
                and p.picking_type_code == "outgoing"
                and p.location_dest_id.usage == "customer"
            )
        )
        if not deliveries:
            raise UserError(
                self.env._(
                    "%(remedy)s: complaint %(ticket)s has no delivered sale order to "
                    "return the units from; set its sale order, or collect them by a "
                    "receipt in Inventory.",
                    remedy=self.name,
                    ticket=ticket.display_name,
                )
            )
        # the delivery that can return the most of these units (lots)
        plans = {picking: self._qc_return_plan(picking, product, lots) for picking in deliveries}
        picking = max(deliveries, key=lambda p: sum(sum(t.values()) for t in plans[p].values()))
        plan = plans[picking]
        available = sum(sum(take.values()) for take in plan.values())
        if product.uom_id.compare(available, self.quantity) < 0:
            raise UserError(
                self.env._(
                    "%(remedy)s: only %(available)s %(product)s%(lots)s delivered on %(order)s "
                    "can still be returned, not %(quantity)s.",
                    remedy=self.name,
                    available=f"{available:g}",
                    product=product.display_name,
                    lots=self.env._(" of lot %s", ", ".join(lots.mapped("name"))) if lots else "",
                    order=order.name,
                    quantity=f"{self.quantity:g}",
                )
            )
        plan = self._qc_return_plan(picking, product, lots, self.quantity)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(
                active_model="stock.picking", active_id=picking.id, active_ids=picking.ids
            )
            .create({"picking_id": picking.id})
        )
        # "update quantities on SO" only for units the customer is refunded: an
        # exchanged or inspected unit stays sold (remedy_credit_note.py)
        refunded = any(
            r._qc_is_refund() for r in ticket._qc_current_remedies() if r.state != "cancelled"
        )
        for line in wizard.product_return_moves:
            taken = sum(plan.get(line.move_id, {}).values())
            line.quantity = product.uom_id._compute_quantity(taken, line.uom_id)
            line.to_refund = refunded
        action = wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        returned.write(
            {
                "location_dest_id": self._qc_inspection_location(picking).id,
                "origin": f"{ticket.number or ticket.name}: {returned.origin}",
            }
        )
        # the units come back in the lots the customer received
        for move in returned.move_ids:
            take = plan.get(move.origin_returned_move_id)
            if not take:
                continue
            move.move_line_ids.unlink()
            self.env["stock.move.line"].create(
                [
                    {
                        "move_id": move.id,
                        "picking_id": returned.id,
                        "product_id": move.product_id.id,
                        "product_uom_id": move.product_id.uom_id.id,
                        "location_id": move.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                        "lot_id": lot.id,
                        "quantity": quantity,
                    }
                    for lot, quantity in take.items()
                ]
            )
        self._qc_write_protected({"picking_id": returned.id})
        return returned

    def _qc_inspection_location(self, delivery):
        """Where quality inspects the returned units: the company's setting, else the
        stock of the warehouse that delivered them."""
        company = delivery.company_id
        return (
            company.qc_return_location_id
            or delivery.picking_type_id.warehouse_id.lot_stock_id
            or self._qc_warehouse().lot_stock_id
        )

    def _qc_return_plan(self, delivery, product, lots, quantity=None):
        """{delivery move: {lot: quantity}} of ``product`` delivered by ``delivery``
        in ``lots`` (any lot if empty) and not returned yet, up to ``quantity``."""
        need = quantity
        plan = {}
        moves = delivery.move_ids.filtered(lambda m: m.product_id == product and m.state == "done")
        for move in moves:
            left = defaultdict(float)
            for line in move.move_line_ids:
                left[line.lot_id] += line.quantity_product_uom
            returns = move.returned_move_ids.filtered(lambda m: m.state != "cancel")
            for line in returns.move_line_ids:
                left[line.lot_id] -= line.quantity_product_uom
            take = {}
            for lot, available in left.items():
                if (lots and lot not in lots) or product.uom_id.compare(available, 0) <= 0:
                    continue
                taken = available
                if need is not None:
                    if product.uom_id.compare(need, 0) <= 0:
                        break
                    taken = min(available, need)
                    need -= taken
                take[lot] = taken
            if take:
                plan[move] = take
        return plan

    def _qc_inspect_returned_units(self):
        """The returned units become the subject of an inspection of the complaint's
        open investigation: the inspection the quality officer prepared for the
        complaint, or a new one; its owner is asked to inspect them.

        Runs as superuser: the warehouse validating the return may not edit
        investigations."""
        for remedy in self.filtered(lambda r: r.action == "return").sudo():
            investigation = remedy.ticket_id.investigation_id
            if not investigation or investigation.state not in OPEN_STATES:
                continue
            pickings = remedy._qc_pickings().filtered(lambda p: p.state == "done")
            lots = pickings.move_line_ids.lot_id
            vals = {"picking_id": remedy.picking_id.id, "lot_ids": [Command.set(lots.ids)]}
            inspection = investigation.inspection_ids.filtered(
                lambda i, t=remedy.ticket_id: i.ticket_id == t and not i.picking_id
            )[:1]
            if inspection:
                inspection.write(vals)
            else:
                inspection = inspection.create(
                    {
                        **vals,
                        "investigation_id": investigation.id,
                        "ticket_id": remedy.ticket_id.id,
                        "inspector_id": investigation.user_id.id or self.env.user.id,
                    }
                )
            investigation.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Inspect the returned units"),
                note=self.env._(
                    "Complaint %(ticket)s: %(picking)s brought back %(lots)s.",
                    ticket=remedy.ticket_id.number or remedy.ticket_id.name,
                    picking=", ".join(pickings.mapped("name")),
                    lots=", ".join(lots.mapped("name")) or remedy.product_id.display_name,
                ),
                user_id=inspection.inspector_id.id,
            )
