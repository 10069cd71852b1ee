"""Free repair (docs/process.md §4, §5): a repair order of Odoo's Repair app, under warranty,
for the customer's product; the remedy is executed when the repair is done
(repair_order.py)."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.quality_complaint.lang import company_env
from odoo.exceptions import UserError
from odoo.tools import format_date


class QualityComplaintRemedy(models.Model):
    _inherit = "quality.complaint.remedy"
    # the repair order is linked by the executor only: finishing it executes the remedy

    repair_id = fields.Many2one(
        "repair.order", string="Repair order", readonly=True, copy=False, index="btree_not_null"
    )

    # the parts a repair adds are its cost (quality_complaint/models/remedy.py, _qc_cost)
    @api.depends(
        "repair_id.state",
        "repair_id.move_ids.product_qty",
        "repair_id.move_ids.product_id.standard_price",
    )
    def _compute_cost(self):
        return super()._compute_cost()

    # ------------------------------------------------------------ executor
    def _qc_execute_repair(self):
        """Create and confirm the repair order of the customer's product, free of
        charge (under warranty), in the company of the complaint."""
        self.ensure_one()
        ticket = self.ticket_id
        product = self.product_id or ticket.product_id
        if not product:
            raise UserError(
                self.env._("%(remedy)s: choose the product to repair.", remedy=self.name)
            )
        if product.type != "consu":
            raise UserError(
                self.env._(
                    "%(remedy)s: %(product)s is not a good; only goods are repaired.",
                    remedy=self.name,
                    product=product.display_name,
                )
            )
        if not ticket.partner_id:
            raise UserError(
                self.env._("%(remedy)s: the complaint has no customer.", remedy=self.name)
            )
        lot = self._qc_repair_lot(product)
        company = ticket.company_id or self.env.company
        notes = Markup("<p>%s</p>") % company_env(self.env, company)._(  # for everyone
            "Free repair for complaint %(complaint)s: %(remedy)s",
            complaint=ticket.display_name,
            remedy=self.name,
        )
        # No sudo(): customer service holds the Repair app's rights (its group
        # implies Inventory / User, the repair order's access group), so the
        # order is made, and its company checked, as the user who executes.
        repair = (
            self.env["repair.order"]
            .with_company(company)
            .create(
                {
                    "company_id": company.id,
                    "partner_id": ticket.partner_id.id,
                    "product_id": product.id,
                    "product_qty": 1.0 if product.tracking == "serial" else self.quantity or 1.0,
                    "lot_id": lot.id,
                    "under_warranty": True,
                    "user_id": self.user_id.id or self.env.user.id,
                    "internal_notes": notes,
                }
            )
        )
        # Confirmed without Odoo's stock check of the unit to repair
        # (action_validate): the customer's unit often comes back after the
        # repair is agreed.
        repair._action_repair_confirm()
        self._qc_write_protected({"repair_id": repair.id})
        repair.message_post_with_source(
            "mail.message_origin_link",
            render_values={"self": repair, "origin": ticket},
            subtype_xmlid="mail.mt_note",
        )

    def _qc_repair_lot(self, product):
        """The lot/serial repaired: the remedy's, else the complaint's, of the product."""
        if product.tracking == "none":
            return self.env["stock.lot"]
        lots = (self.lot_ids or self.ticket_id.lot_ids).filtered(
            lambda lot: lot.product_id == product
        )
        if len(lots) != 1:
            raise UserError(
                self.env._(
                    "%(remedy)s: a repair order repairs the units of one lot/serial number; "
                    "set the lot/serial number of %(product)s on the remedy.",
                    remedy=self.name,
                    product=product.display_name,
                )
            )
        return lots

    # ------------------------------------------------------------ document hooks
    def _qc_cost(self):
        if self.action != "repair":
            return super()._qc_cost()
        company = self.company_id or self.env.company
        parts = self.repair_id.sudo().move_ids.filtered(
            lambda m: m.repair_line_type == "add" and m.state != "cancel"
        )
        return sum(
            move.product_qty * move.product_id.with_company(company).standard_price
            for move in parts
        )

    def _qc_document_facts(self):
        if self.action != "repair" or not self.repair_id:
            return super()._qc_document_facts()
        repair = self.repair_id.sudo()
        if repair.state == "done":
            info = self.env._(
                "Repair %(ref)s done on %(date)s",
                ref=repair.name,
                date=format_date(self.env, self.executed_date or repair.write_date),
            )
        elif repair.state == "cancel":
            info = self.env._("Repair %(ref)s cancelled", ref=repair.name)
        else:
            info = self.env._("Repair %(ref)s under way", ref=repair.name)
        return repair.name, info

    def _qc_documents_action(self):
        if not self or any(remedy.action != "repair" for remedy in self):
            return super()._qc_documents_action()
        repairs = self.repair_id
        if not repairs:
            return False
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        if len(repairs) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=repairs.id)
        else:
            action["domain"] = [("id", "in", repairs.ids)]
        action["context"] = {"create": False}
        return action

    def _qc_document_link(self):
        self.ensure_one()
        if self.action != "repair" or not self.repair_id:
            return super()._qc_document_link()
        return "repair_id", self.repair_id.sudo().name

    def _qc_cancel_documents(self):
        repairs = self.filtered(lambda r: r.action == "repair").repair_id
        repairs.filtered(lambda r: r.state not in ("done", "cancel")).action_repair_cancel()
        return super()._qc_cancel_documents()

    def _qc_protected(self):
        return super()._qc_protected() | {"repair_id"}
