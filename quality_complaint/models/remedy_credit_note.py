"""Compensation and refund (SPEC §4, §5): a customer credit note.

Executing the remedy makes a draft credit note (``out_refund``) for the customer
in the company's currency; accounting checks and posts it, and posting executes
the remedy (account_move.py). Two kinds of line:

- a compensation: one line without product on the sales journal's income
  account, without tax (a compensation is not a sale);
- a refund of the units sold (a remedy type that collects the goods, on a
  complaint with its order line): one line of the sold product, so that its
  income account and the order line's taxes apply, the amount being the price
  before tax.
"""

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang


class QualityComplaintRemedyCreditNote(models.AbstractModel):
    _name = "quality.complaint.remedy.credit.note"
    _inherit = ["quality.complaint.remedy.document"]
    _description = "Remedy: credit notes"

    invoice_id = fields.Many2one(
        "account.move", string="Credit note", readonly=True, copy=False, index="btree_not_null"
    )

    # ------------------------------------------------------------ executor
    def _qc_execute_credit_note(self):
        """A draft customer credit note; the remedy is executed when it is posted."""
        self.ensure_one()
        ticket = self.ticket_id
        company = ticket.company_id or self.env.company
        customer = ticket.partner_id.commercial_partner_id
        if not customer:
            raise UserError(
                self.env._("%(remedy)s: the complaint has no customer to credit.", remedy=self.name)
            )
        if customer.company_id and customer.company_id != company:
            raise UserError(
                self.env._(
                    "%(remedy)s: the customer %(customer)s belongs to %(other)s, not to "
                    "%(company)s; a credit note of %(company)s cannot be made for them.",
                    remedy=self.name,
                    customer=customer.display_name,
                    other=customer.company_id.name,
                    company=company.name,
                )
            )
        Journal = self.env["account.journal"].sudo()
        journal = Journal.search(
            [*Journal._check_company_domain(company), ("type", "=", "sale")], limit=1
        )
        if not journal:
            raise UserError(
                self.env._(
                    "%(remedy)s: %(company)s has no sales journal to issue the credit note "
                    "in; set up Accounting first.",
                    remedy=self.name,
                    company=company.name,
                )
            )
        Move = self.env["account.move"].sudo().with_company(company)
        # Customer service asks for the credit note; accounting posts it.
        credit_note = Move.create(
            {
                "move_type": "out_refund",
                "company_id": company.id,
                "journal_id": journal.id,
                "partner_id": customer.id,
                "currency_id": company.currency_id.id,
                "invoice_origin": ticket.number or ticket.name,
                "ref": self.name,
                "invoice_user_id": self.env.user.id,
                "invoice_line_ids": [Command.create(self._qc_credit_note_line_vals())],
            }
        )
        self.sudo().invoice_id = credit_note
        credit_note.message_post_with_source(
            "mail.message_origin_link",
            render_values={"self": credit_note, "origin": ticket},
            subtype_xmlid="mail.mt_note",
        )

    def _qc_credit_note_line_vals(self):
        """The credit note's line: the refund of the sold product, or a compensation."""
        self.ensure_one()
        sale_line = self.ticket_id.sale_line_id
        refund = (
            self.type_id.collect_goods
            and sale_line
            and (not self.product_id or self.product_id == sale_line.product_id)
            and self.quantity > 0
        )
        if refund:
            return {
                "name": self.name,
                "product_id": sale_line.product_id.id,
                "product_uom_id": sale_line.product_id.uom_id.id,
                "quantity": self.quantity,
                "price_unit": self.amount / self.quantity,
                "tax_ids": [Command.set(sale_line.tax_ids.ids)],
            }
        return {
            "name": self.name,
            "quantity": 1.0,
            "price_unit": self.amount,
            "tax_ids": [Command.clear()],
        }

    # ------------------------------------------------------------ document hooks
    def _qc_cost(self):
        if self.action == "credit_note":
            return self.amount
        return super()._qc_cost()

    def _qc_value(self):
        """A refund is worth its amount with the sold line's taxes."""
        if self.action != "credit_note":
            return super()._qc_value()
        line = self._qc_credit_note_line_vals()
        taxes = self.ticket_id.sale_line_id.tax_ids if line.get("product_id") else None
        if not taxes:
            return self.amount
        return taxes.compute_all(
            self.amount, currency=self.currency_id, product=self.product_id or None
        )["total_included"]

    def _qc_document_facts(self):
        if self.action != "credit_note" or not self.invoice_id:
            return super()._qc_document_facts()
        credit_note = self.invoice_id.sudo()
        amount = credit_note.amount_total
        formatted = formatLang(self.env, amount, currency_obj=credit_note.currency_id)
        if credit_note.state == "posted":
            return credit_note.name, self.env._(
                "credit note %(number)s of %(amount)s",
                number=credit_note.name,
                amount=formatted,
            )
        if credit_note.state == "cancel":
            return credit_note.name or self.env._("Cancelled credit note"), False
        return self.env._("Draft credit note"), self.env._(
            "credit note of %(amount)s being issued", amount=formatted
        )

    def _qc_documents_action(self):
        credit_notes = self.invoice_id
        if not credit_notes or any(r.action != "credit_note" for r in self):
            return super()._qc_documents_action()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_refund_type"
        )
        if len(credit_notes) == 1:
            action.update(
                {
                    "res_id": credit_notes.id,
                    "view_mode": "form",
                    "views": [(self.env.ref("account.view_move_form").id, "form")],
                }
            )
        else:
            action["domain"] = [("id", "in", credit_notes.ids)]
        action["context"] = {"default_move_type": "out_refund", "create": False}
        return action

    def _qc_document_link(self):
        self.ensure_one()
        if self.action != "credit_note" or not self.invoice_id:
            return super()._qc_document_link()
        credit_note = self.invoice_id.sudo()
        if credit_note.name and credit_note.name != "/":
            return "invoice_id", credit_note.name
        formatted = formatLang(
            self.env, credit_note.amount_total, currency_obj=credit_note.currency_id
        )
        return "invoice_id", self.env._("The draft credit note of %(amount)s", amount=formatted)

    def _qc_cancel_documents(self):
        drafts = (
            self.filtered(lambda r: r.action == "credit_note")
            .invoice_id.sudo()
            .filtered(lambda m: m.state == "draft")
        )
        drafts.button_cancel()
        return super()._qc_cancel_documents()
