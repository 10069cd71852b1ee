"""Compensation and refund (docs/process.md §4, §5): money given back to the customer, booked
the way Odoo books it.

- A compensation is a draft customer credit note (``out_refund``) of one line
  without product on the sales journal's income account, without tax (a
  compensation is not a sale), in the company's currency unless the remedy type
  names another one. Accounting checks and posts it; posting executes the remedy
  (account_move.py).
- A refund (a credit-note remedy type that collects the goods) gives back what
  the customer paid for the affected units of the complaint's order line:
  - invoiced: a draft credit note reversing the posted invoice line(s) of that
    order line, as Odoo's "Reverse" does: linked to the invoice
    (``reversed_entry_id``, so it is reconciled with it), in the invoice's
    currency, with the invoice line's price after discount, its taxes, account
    and analytic distribution, and its order line (the order's invoiced
    quantity goes down). Units invoiced several times are reversed from the
    latest invoices first;
  - not invoiced yet: no credit note. The units go back by the complaint's
    return transfer with "update quantities on SO" (``to_refund``), so the
    order's delivered quantity goes down and the invoice to come leaves them
    out, as Odoo's own returns do; the return is the remedy's document, and
    validating it executes the remedy.

``_qc_value_company_currency`` is what a remedy gives the customer, tax included,
in the company's currency (the approval limit, the remedy's cost).
"""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import clean_context
from odoo.tools.misc import formatLang


class QualityComplaintRemedyCreditNote(models.AbstractModel):
    _name = "quality.complaint.remedy.credit.note"
    _inherit = ["quality.complaint.remedy.document"]
    _description = "Remedy: credit notes"

    invoice_id = fields.Many2one(
        "account.move", string="Credit note", readonly=True, copy=False, index="btree_not_null"
    )
    is_refund = fields.Boolean(
        string="Refund of the units",
        compute="_compute_is_refund",
        help="A refund of the units sold: it reverses their invoice (or, not invoiced "
        "yet, leaves them out of the invoice to come).",
    )

    # ------------------------------------------------------------ computes
    @api.depends("action", "type_id.collect_goods")
    def _compute_is_refund(self):
        for remedy in self:
            remedy.is_refund = remedy._qc_is_refund()

    @api.depends(
        "action",
        "type_id.collect_goods",
        "type_id.currency_id",
        "company_id.currency_id",
        "ticket_id.sale_order_id.currency_id",
        "invoice_id.currency_id",
    )
    def _compute_currency_id(self):
        """The currency of the remedy's amount: a refund's is the currency of the
        invoice it reverses (the order's before it is made); a compensation's is its
        type's, else the company's; any other remedy's the company's."""
        for remedy in self:
            company_currency = (remedy.company_id or self.env.company).currency_id
            if remedy.action != "credit_note":
                remedy.currency_id = company_currency
            elif remedy.invoice_id:
                remedy.currency_id = remedy.invoice_id.sudo().currency_id
            elif remedy._qc_is_refund():
                remedy.currency_id = remedy.ticket_id.sale_order_id.currency_id or company_currency
            else:
                remedy.currency_id = remedy.type_id.currency_id or company_currency

    @api.onchange("type_id", "quantity")
    def _onchange_refund_amount(self):
        """A refund's amount is what the customer paid for the units."""
        for remedy in self.filtered(lambda r: r._qc_is_refund() and r.ticket_id.sale_line_id):
            remedy.amount = remedy._qc_refund_figures(remedy.ticket_id, remedy.quantity)["total"]

    # ------------------------------------------------------------ figures
    def _qc_is_refund(self):
        """A credit note whose type collects the units is a refund of them."""
        self.ensure_one()
        return self.action == "credit_note" and self.type_id.collect_goods

    @api.model
    def _qc_refund_figures(self, ticket, quantity):
        """What the customer paid for ``quantity`` units (product unit) of the
        complaint's order line: {"currency", "total", "untaxed", "invoiced"} where
        "invoiced" is a list of (posted invoice line, quantity in its unit) to
        reverse, latest invoices first, and "missing" the units (in the order
        line's unit) not invoiced (or already refunded).

        Read as superuser: customer service may not read invoices."""
        sale_line = ticket.sale_line_id.sudo()
        currency = sale_line.order_id.currency_id or ticket.company_id.currency_id
        figures = {"currency": currency, "total": 0.0, "untaxed": 0.0, "invoiced": []}
        if not sale_line or quantity <= 0:
            figures["missing"] = 0.0
            return figures
        uom = sale_line.product_uom_id
        need = sale_line.product_id.uom_id._compute_quantity(quantity, uom, round=False)
        lines = sale_line.invoice_lines.filtered(
            lambda line: line.display_type == "product" and line.move_id.state != "cancel"
        )

        def in_order_unit(line):
            return line.product_uom_id._compute_quantity(line.quantity, uom, round=False)

        # units refunded already (or being refunded) come off the latest invoices
        skip = sum(in_order_unit(line) for line in lines if line.move_id.move_type == "out_refund")
        invoiced = lines.filtered(
            lambda line: line.move_id.move_type == "out_invoice" and line.move_id.state == "posted"
        ).sorted(lambda line: (line.move_id.invoice_date, line.move_id.id, line.id), reverse=True)
        for line in invoiced:
            if uom.compare(need, 0) <= 0:
                break
            available = in_order_unit(line)
            skipped = min(skip, available)
            skip -= skipped
            available -= skipped
            if uom.compare(available, 0) <= 0:
                continue
            take = min(available, need)
            need -= take
            quantity_in_line_unit = uom._compute_quantity(take, line.product_uom_id, round=False)
            figures["invoiced"].append((line, quantity_in_line_unit))
            share = quantity_in_line_unit / line.quantity
            figures["total"] += line.price_total * share
            figures["untaxed"] += line.price_subtotal * share
        if figures["invoiced"]:
            figures["currency"] = figures["invoiced"][0][0].currency_id
        elif sale_line.product_uom_qty:
            # not invoiced: the order line's price, for what the invoice leaves out
            share = need / sale_line.product_uom_qty
            figures["total"] = sale_line.price_total * share
            figures["untaxed"] = sale_line.price_subtotal * share
        figures["missing"] = max(need, 0.0)
        figures["total"] = figures["currency"].round(figures["total"])
        figures["untaxed"] = figures["currency"].round(figures["untaxed"])
        return figures

    def _qc_value_company_currency(self, untaxed=False):
        """What the remedy gives the customer, in the company's currency: a credit
        note's total once it is made (as booked), else a refund's price of the units
        (tax included unless ``untaxed``) or the compensation's amount, at today's
        rate."""
        self.ensure_one()
        if self.action != "credit_note":
            return super()._qc_value_company_currency(untaxed=untaxed)
        company = self.company_id or self.env.company
        credit_note = self.invoice_id.sudo()
        if credit_note and credit_note.state != "cancel":
            booked = (
                credit_note.amount_untaxed_signed if untaxed else credit_note.amount_total_signed
            )
            return abs(booked)
        currency = self.currency_id or company.currency_id
        amount = self.amount
        if self._qc_is_refund() and self.ticket_id.sale_line_id:
            figures = self._qc_refund_figures(self.ticket_id, self.quantity)
            currency = figures["currency"]
            amount = figures["untaxed" if untaxed else "total"]
        return currency._convert(
            amount, company.currency_id, company, fields.Date.context_today(self)
        )

    # ------------------------------------------------------------ executor
    def _qc_execute_credit_note(self):
        """A draft customer credit note (the remedy is executed when it is posted);
        a refund of units not invoiced yet is carried by their return."""
        self.ensure_one()
        if self._qc_is_refund():
            return self._qc_execute_refund()
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
        self._qc_make_credit_note(
            {
                "company_id": company.id,
                "journal_id": journal.id,
                "partner_id": customer.id,
                "currency_id": (self.type_id.currency_id or company.currency_id).id,
                "invoice_origin": ticket.number or ticket.name,
                "ref": self.name,
                "invoice_user_id": self.env.user.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": self.name,
                            "quantity": 1.0,
                            "price_unit": self.amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def _qc_make_credit_note(self, vals):
        """Customer service asks for the credit note; accounting posts it."""
        ticket = self.ticket_id
        company = self.env["res.company"].browse(vals["company_id"])
        # the caller's context gives no default to the credit note (auto-posting it,
        # another date or bank account): only what is written here
        credit_note = (
            self.env["account.move"]
            .with_context(clean_context(self.env.context))
            .sudo()
            .with_company(company)
            .create({"move_type": "out_refund", **vals})
        )
        self.sudo().write({"invoice_id": credit_note.id, "amount": credit_note.amount_total})
        credit_note.message_post_with_source(
            "mail.message_origin_link",
            render_values={"self": credit_note, "origin": ticket},
            subtype_xmlid="mail.mt_note",
        )
        return credit_note

    def _qc_execute_refund(self):
        """Give back what the customer paid for the units: reverse their invoice,
        or, not invoiced yet, leave them out of the invoice to come."""
        self.ensure_one()
        ticket = self.ticket_id
        sale_line = ticket.sale_line_id.sudo()
        if not sale_line:
            raise UserError(
                self.env._(
                    "%(remedy)s: a refund gives back the price of the units of the "
                    "complaint's order line; set the order line on the complaint, or "
                    "offer a compensation instead.",
                    remedy=self.name,
                )
            )
        if self.product_id and self.product_id != sale_line.product_id:
            raise UserError(
                self.env._(
                    "%(remedy)s: the complaint's order line sold %(sold)s, not %(product)s; "
                    "only the units sold are refunded.",
                    remedy=self.name,
                    sold=sale_line.product_id.display_name,
                    product=self.product_id.display_name,
                )
            )
        if self.quantity <= 0:
            raise UserError(
                self.env._("%(remedy)s: enter the number of units refunded.", remedy=self.name)
            )
        figures = self._qc_refund_figures(ticket, self.quantity)
        uom = sale_line.product_uom_id
        if not figures["invoiced"]:
            return self._qc_refund_by_return(sale_line)
        if uom.compare(figures["missing"], 0) > 0:
            invoiced = self.quantity - sale_line.product_id.uom_id.round(
                uom._compute_quantity(figures["missing"], sale_line.product_id.uom_id)
            )
            raise UserError(
                self.env._(
                    "%(remedy)s: only %(invoiced)s of the %(quantity)s units are invoiced on "
                    "%(order)s and not refunded yet. Refund %(invoiced)s units here (a "
                    "credit note reversing the invoice) and the others in a second refund "
                    "(their return leaves them out of the invoice to come).",
                    remedy=self.name,
                    invoiced=f"{invoiced:g}",
                    quantity=f"{self.quantity:g}",
                    order=sale_line.order_id.name,
                )
            )
        self._qc_return_updates_the_order(sale_line)
        invoices = self.env["account.move"]
        for line, _quantity in figures["invoiced"]:
            invoices |= line.move_id
        latest = invoices[:1]
        several = len(invoices) > 1
        reason = f"{ticket.number or ticket.name}: {self.name}"
        credit_note = self._qc_make_credit_note(
            {
                "company_id": latest.company_id.id,
                "journal_id": latest.journal_id.id,
                "partner_id": latest.partner_id.id,
                "currency_id": latest.currency_id.id,
                "fiscal_position_id": latest.fiscal_position_id.id,
                "reversed_entry_id": latest.id,
                "invoice_origin": latest.invoice_origin or sale_line.order_id.name,
                "invoice_payment_term_id": False,
                "invoice_user_id": latest.invoice_user_id.id or self.env.user.id,
                "ref": self.env._(
                    "Reversal of: %(invoices)s, %(reason)s",
                    invoices=", ".join(invoices.mapped("name")),
                    reason=reason,
                ),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": f"{line.move_id.name}: {line.name}" if several else line.name,
                            "product_id": line.product_id.id,
                            "product_uom_id": line.product_uom_id.id,
                            "quantity": quantity,
                            "price_unit": line.price_unit,
                            "discount": line.discount,
                            "tax_ids": [Command.set(line.tax_ids.ids)],
                            "account_id": line.account_id.id,
                            "analytic_distribution": line.analytic_distribution,
                            "sale_line_ids": [Command.set(line.sale_line_ids.ids)],
                        }
                    )
                    for line, quantity in figures["invoiced"]
                ],
            }
        )
        for invoice in invoices:
            invoice._message_log(
                body=self.env._(
                    "Partly reversed by %(credit_note)s: refund of complaint %(reason)s.",
                    credit_note=credit_note._get_html_link(
                        title=credit_note.name
                        if credit_note.name and credit_note.name != "/"
                        else self.env._("a draft credit note")
                    ),
                    reason=reason,
                )
            )
        return credit_note

    def _qc_refund_returns(self, sale_line):
        """The return moves of the complaint's pick-ups that bring units of
        ``sale_line`` back, not cancelled."""
        pickups = self.ticket_id.remedy_ids.filtered(
            lambda r: r.action == "return" and r.state != "cancelled" and r.picking_id
        )
        return (
            pickups.sudo()
            ._qc_pickings()
            .move_ids.filtered(
                lambda m: (
                    m.state != "cancel"
                    and m.origin_returned_move_id.sale_line_id == sale_line
                    and m.location_id.usage == "customer"
                )
            )
        )

    def _qc_return_updates_the_order(self, sale_line):
        """The units refunded come back with "update quantities on SO": the order's
        delivered quantity goes down with its invoiced quantity (Odoo's returns).
        A return already validated keeps what it did."""
        self._qc_refund_returns(sale_line).filtered(
            lambda m: m.state != "done" and not m.to_refund
        ).write({"to_refund": True})

    def _qc_refund_by_return(self, sale_line):
        """Not invoiced yet: no credit note; the return of the units makes the order's
        delivered quantity go down, so the invoice to come leaves them out."""
        order = sale_line.order_id
        product = sale_line.product_id
        drafts = sale_line.invoice_lines.move_id.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "draft"
        )
        if drafts:
            raise UserError(
                self.env._(
                    "%(remedy)s: the draft invoice of %(order)s still bills these units; "
                    "post it, then execute the refund (its credit note reverses the "
                    "invoice), or take the units off the draft first.",
                    remedy=self.name,
                    order=order.name,
                )
            )
        if product.invoice_policy != "delivery":
            raise UserError(
                self.env._(
                    "%(remedy)s: %(order)s is not invoiced yet, and %(product)s is invoiced "
                    "on the ordered quantities: a return does not change what is "
                    "invoiced. Invoice the order, then execute the refund: its credit "
                    "note reverses the invoice.",
                    remedy=self.name,
                    order=order.name,
                    product=product.display_name,
                )
            )
        moves = self._qc_refund_returns(sale_line)
        moves.filtered(lambda m: m.state != "done" and not m.to_refund).write({"to_refund": True})
        moves = moves.filtered("to_refund")
        returning = sum(
            m.product_uom._compute_quantity(
                m.quantity if m.state == "done" else m.product_uom_qty, product.uom_id
            )
            for m in moves
        )
        others = self.ticket_id.remedy_ids.filtered(
            lambda r: (
                r != self
                and r.action == "credit_note"
                and r.state != "cancelled"
                and r.picking_id
                and r.picking_id in moves.picking_id
            )
        )
        returning -= sum(others.mapped("quantity"))
        if product.uom_id.compare(returning, self.quantity) < 0:
            raise UserError(
                self.env._(
                    "%(remedy)s: %(order)s is not invoiced yet, so no credit note is "
                    "made: the units are refunded by leaving them out of the invoice to "
                    "come, once they are returned. Execute the pick-up of the %(quantity)s "
                    "units first (its return updates the order's quantities), then the "
                    "refund; or invoice the order and refund then.",
                    remedy=self.name,
                    order=order.name,
                    quantity=f"{self.quantity:g}",
                )
            )
        picking = moves.picking_id.sorted("id")[:1]
        self._qc_write_protected({"picking_id": picking.id})
        body = self.env._(
            "%(order)s is not invoiced yet: no credit note. The %(quantity)s units "
            "returned by %(picking)s are left out of the order's invoice to come.",
            order=order.name,
            quantity=f"{self.quantity:g}",
            picking=picking.name,
        )
        self.sudo().message_post(body=body)
        if picking.state == "done":
            self._qc_document_done()
        return picking

    # ------------------------------------------------------------ document hooks
    def _qc_cost(self):
        if self.action == "credit_note":
            # the tax a refund gives back is given back by the tax authority
            return self._qc_value_company_currency(untaxed=True)
        return super()._qc_cost()

    def _qc_refund_carried_by_return(self):
        self.ensure_one()
        return self.action == "credit_note" and bool(self.picking_id) and not self.invoice_id

    def _qc_pickings_done(self):
        """A refund carried by the return is executed once the return is validated."""
        finished = self.filtered(
            lambda r: (
                r._qc_refund_carried_by_return()
                and r.state in ("approved", "in_progress")
                and all(p.state in ("done", "cancel") for p in r._qc_pickings())
                and any(p.state == "done" for p in r._qc_pickings())
            )
        )
        finished._qc_document_done()
        return super()._qc_pickings_done()

    def _qc_document_facts(self):
        if self.action == "credit_note" and self._qc_refund_carried_by_return():
            pickings = self._qc_pickings()
            reference = ", ".join(pickings.mapped("name"))
            order = self.ticket_id.sale_order_id.name
            if pickings and all(p.state in ("done", "cancel") for p in pickings):
                return reference, self.env._(
                    "not invoiced: the %(quantity)s returned units are left out of the "
                    "invoice of %(order)s (%(ref)s)",
                    quantity=f"{self.quantity:g}",
                    order=order,
                    ref=reference,
                )
            return reference, self.env._(
                "not invoiced: the %(quantity)s units are left out of the invoice of "
                "%(order)s once returned (%(ref)s)",
                quantity=f"{self.quantity:g}",
                order=order,
                ref=reference,
            )
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
        carried = self.filtered(lambda r: r.action == "credit_note" and r.picking_id)
        if carried and carried == self and not self.invoice_id:
            return self._qc_pickings_action(carried._qc_pickings())
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
        if self.action == "credit_note" and self._qc_refund_carried_by_return():
            return "picking_id", self.picking_id.name
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
        # a refund carried by the pick-up's return leaves the return to the pick-up
        drafts = (
            self.filtered(lambda r: r.action == "credit_note")
            .invoice_id.sudo()
            .filtered(lambda m: m.state == "draft")
        )
        drafts.button_cancel()
        return super()._qc_cancel_documents()
