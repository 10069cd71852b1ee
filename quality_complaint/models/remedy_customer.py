"""Warranty extension on the customer's serial/lot and instructions sent to the
customer (docs/process.md §4). Both are done as soon as they are executed: the lot carries
its new warranty end, the instructions are a message in the complaint's chatter
that reaches the customer with the template's attachments."""

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date


class QualityComplaintRemedyCustomer(models.AbstractModel):
    _name = "quality.complaint.remedy.customer"
    _inherit = ["quality.complaint.remedy.document"]
    _description = "Remedy: warranty and instructions"

    warranty_end_date = fields.Date(string="New warranty end", readonly=True, copy=False)
    message_id = fields.Many2one(
        "mail.message",
        string="Message sent",
        readonly=True,
        copy=False,
        help="Instructions: the message sent to the customer on the complaint.",
    )

    # ------------------------------------------------------------ executors
    def _qc_execute_warranty(self):
        """Extend the warranty of the customer's serials/lots by the remedy's months,
        from their current end, else the purchase date, else today."""
        self.ensure_one()
        ticket = self.ticket_id
        lots = self.lot_ids or ticket.lot_ids
        if not lots:
            raise UserError(
                self.env._(
                    "%(remedy)s: name the serial/lot numbers whose warranty is extended, "
                    "on the remedy or on the complaint.",
                    remedy=self.name,
                )
            )
        foreign = lots - self._qc_lots_delivered_to_customer(lots)
        if foreign:
            raise UserError(
                self.env._(
                    "%(remedy)s: lot %(lot)s was not delivered to %(customer)s; only the "
                    "customer's own serials/lots are extended.",
                    remedy=self.name,
                    lot=foreign[0].name,
                    customer=ticket.partner_id.commercial_partner_id.display_name
                    or self.env._("the complaint's customer"),
                )
            )
        if self.warranty_months <= 0:
            raise UserError(
                self.env._(
                    "%(remedy)s: enter the number of months the warranty is extended by.",
                    remedy=self.name,
                )
            )
        start = ticket.purchase_date or ticket._qc_company_today()
        ends = {}
        for lot in lots.sudo():
            ends[lot] = (lot.qc_warranty_end_date or start) + relativedelta(
                months=self.warranty_months
            )
            lot.qc_warranty_end_date = ends[lot]
        self.sudo().write(
            {"lot_ids": [fields.Command.set(lots.ids)], "warranty_end_date": min(ends.values())}
        )
        self._qc_document_done()

    def _qc_lots_delivered_to_customer(self, lots):
        """Those of ``lots`` that a done move delivered to the complaint's customer
        (its commercial entity), whatever the order; one query."""
        self.ensure_one()
        customer = self.ticket_id.partner_id.commercial_partner_id
        if not customer or not lots:
            return lots.browse()
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", lots.ids),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                    "|",
                    ("move_id.partner_id", "child_of", customer.id),
                    ("picking_id.partner_id", "child_of", customer.id),
                ]
            )
        )
        return lots & lines.lot_id.with_env(lots.env)

    def _qc_execute_instructions(self):
        """Send the type's message to the customer on the complaint, with its
        attachments."""
        self.ensure_one()
        template = self.type_id.mail_template_id
        if not template:
            raise UserError(
                self.env._(
                    "%(remedy)s: the remedy type %(type)s has no message to send; set "
                    "its mail template.",
                    remedy=self.name,
                    type=self.type_id.name,
                )
            )
        ticket = self.ticket_id
        if not ticket.partner_id:
            raise UserError(
                self.env._(
                    "%(remedy)s: the complaint has no customer to write to.", remedy=self.name
                )
            )
        message = template._qc_post_rendered(
            self,
            lambda remedy, rendered: {
                "email_from": rendered.get("email_from") or None,
                "partner_ids": rendered.get("partner_ids") or ticket.partner_id.ids,
            },
            post_on=lambda remedy: ticket,
            scheduled=False,
            attachments=True,
        )
        self.sudo().message_id = message
        self._qc_document_done()

    # ------------------------------------------------------------ document hooks
    def _qc_document_facts(self):
        if self.action == "warranty" and self.warranty_end_date:
            return ", ".join(self.lot_ids.mapped("name")), self.env._(
                "warranty extended until %(date)s",
                date=format_date(self.env, self.warranty_end_date),
            )
        if self.action == "instructions" and self.message_id:
            sent = self.ticket_id._qc_company_today(self.message_id.sudo().date)
            return self.message_id.sudo().subject or self.type_id.name, self.env._(
                "instructions sent on %(date)s", date=format_date(self.env, sent)
            )
        return super()._qc_document_facts()

    def _qc_documents_action(self):
        if not self or any(r.action not in ("warranty", "instructions") for r in self):
            return super()._qc_documents_action()
        if all(r.action == "warranty" for r in self):
            lots = self.lot_ids
            if not lots:
                return False
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "stock.action_production_lot_form"
            )
            if len(lots) == 1:
                action.update({"res_id": lots.id, "view_mode": "form", "views": [(False, "form")]})
            else:
                action["domain"] = [("id", "in", lots.ids)]
            action["context"] = {"create": False}
            return action
        # The instructions are a message in the complaint's chatter.
        tickets = self.filtered("message_id").ticket_id
        if len(tickets) != 1:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": tickets.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
