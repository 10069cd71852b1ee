import json

from odoo import Command
from odoo.addons.quality_complaint.tests.common import set_move_lines, validate_picking
from odoo.tests import HttpCase, tagged

from .test_remedy_credit_note import RemedyCase


class RefundCase(RemedyCase):
    """Dora buys 10 kettles of lot A in a foreign currency (a pricelist in that
    currency, the company keeps its books in its own): 118 a kettle, 10 % off, a
    15 % tax. 1 company unit = 0.8 foreign units."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_currency = cls.company.currency_id
        cls.foreign = cls.env.ref("base.EUR")
        if cls.foreign == company_currency:
            cls.foreign = cls.env.ref("base.USD")
        cls.foreign.active = True
        cls.foreign.rate_ids.unlink()
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.foreign.id,
                "company_id": cls.company.id,
                "name": "2000-01-01",
                "rate": 0.8,
            }
        )
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "QC VAT 15%",
                "amount": 15.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Foreign prices", "currency_id": cls.foreign.id}
        )
        cls.dora = cls.env["res.partner"].create(
            {"name": "Dora Abroad", "email": "dora@example.com"}
        )

    def sell_to_dora(self, quantity=10, invoice=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.dora.id,
                "pricelist_id": self.pricelist.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.kettle.id,
                            "product_uom_qty": quantity,
                            "price_unit": 118.0,
                            "discount": 10.0,
                            "tax_ids": [Command.set(self.tax.ids)],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        set_move_lines(picking.move_ids, [{"lot_id": self.lot_a.id, "quantity": quantity}])
        validate_picking(picking)
        if invoice:
            order._create_invoices().action_post()
        return order

    def dora_complaint(self, order, **overrides):
        return self.register(
            partner_id=self.dora.id,
            sale_order_id=order.id,
            sale_line_id=order.order_line.id,
            **overrides,
        )

    def reconcile(self, *moves):
        lines = self.env["account.move"].union(*moves).line_ids
        lines.filtered(lambda line: line.account_id.account_type == "asset_receivable").reconcile()


@tagged("post_install", "-at_install")
class TestRemedyRefund(RefundCase):
    def test_refund_reverses_the_invoice_in_its_currency(self):
        """Customer service refunds 2 of the 10 kettles: a credit note in the
        invoice's currency, at the price after discount, with the same tax, linked
        to the invoice and reconciled with it."""
        order = self.sell_to_dora()
        invoice = order.invoice_ids
        self.assertEqual(invoice.currency_id, self.foreign)
        self.assertEqual(invoice.amount_total, 1221.30)  # 10 x 106.20 + 15 %
        ticket = self.dora_complaint(order, customer_request="return")
        ticket.with_user(self.cs_user).action_propose_remedy_plan()
        refund = ticket.remedy_ids.filtered(lambda r: r.type_id == self.refund)
        self.assertEqual(refund.quantity, 2)
        self.assertEqual(refund.currency_id, self.foreign, "what Dora paid, in what she paid in")
        self.assertEqual(refund.amount, 244.26, "2 x 106.20, with 15 % tax")
        self.assertAlmostEqual(refund._qc_value_company_currency(), 305.33, places=2)

        refund.with_user(self.cs_user).action_execute()
        credit_note = refund.invoice_id
        self.assertRecordValues(
            credit_note,
            [
                {
                    "move_type": "out_refund",
                    "state": "draft",
                    "partner_id": invoice.partner_id.id,
                    "currency_id": self.foreign.id,
                    "reversed_entry_id": invoice.id,
                    "journal_id": invoice.journal_id.id,
                    "amount_untaxed": 212.40,
                    "amount_tax": 31.86,
                    "amount_total": invoice.amount_total * 2 / 10,
                }
            ],
        )
        invoice_line = invoice.invoice_line_ids
        self.assertRecordValues(
            credit_note.invoice_line_ids,
            [
                {
                    "product_id": self.kettle.id,
                    "quantity": 2.0,
                    "price_unit": 118.0,
                    "discount": 10.0,
                    "tax_ids": self.tax.ids,
                    "account_id": invoice_line.account_id.id,
                    "sale_line_ids": order.order_line.ids,
                }
            ],
        )
        self.assertEqual(order.order_line.qty_invoiced, 8, "2 kettles are no longer invoiced")
        self.assertEqual(refund.amount, 244.26)
        self.assertIn(invoice.name, credit_note.ref)
        self.assertIn("244.26", refund.customer_info)

        credit_note.with_user(self.accountant).action_post()
        self.assertEqual(refund.state, "executed")
        # booked in the company's currency at the rate: 244.26 / 0.8
        self.assertAlmostEqual(credit_note.amount_total_signed, -305.33, places=2)
        self.assertAlmostEqual(refund._qc_value_company_currency(), 305.33, places=2)
        self.assertAlmostEqual(refund.with_user(self.officer).cost, 265.50, places=2)
        self.reconcile(invoice, credit_note)
        self.assertEqual(credit_note.payment_state, "paid")
        self.assertEqual(invoice.payment_state, "partial")
        self.assertAlmostEqual(invoice.amount_residual, 1221.30 - 244.26, places=2)

    def test_units_invoiced_twice_are_reversed_from_the_latest_invoice(self):
        order = self.sell_to_dora(invoice=False)
        first = order._create_invoices()
        first.invoice_line_ids.quantity = 6
        first.action_post()
        second = order._create_invoices()
        self.assertEqual(second.invoice_line_ids.quantity, 4)
        second.action_post()
        ticket = self.dora_complaint(order, affected_qty=5)
        refund = self.add_remedy(ticket, self.refund, quantity=5.0, amount=1.0)
        refund.action_execute()
        credit_note = refund.invoice_id
        self.assertEqual(credit_note.reversed_entry_id, second, "the latest invoice")
        lines = credit_note.invoice_line_ids.sorted("quantity")
        self.assertEqual(lines.mapped("quantity"), [1.0, 4.0])
        self.assertIn(first.name, lines[0].name, "each line names the invoice it reverses")
        self.assertIn(second.name, lines[1].name)
        self.assertEqual(credit_note.amount_total, 610.65, "5 x 106.20 + 15 %")
        self.assertEqual(refund.amount, 610.65, "the amount is what is credited")
        self.assertEqual(order.order_line.qty_invoiced, 5)
        # the next refund finds no invoiced unit left to reverse twice
        more = self.add_remedy(ticket, self.refund, quantity=6.0, amount=1.0)
        with self.assertRefused("only 5 of the 6 units are invoiced"):
            more.action_execute()
        self.assertUnchanged(more)

    def test_not_invoiced_the_return_leaves_the_units_out_of_the_invoice(self):
        """Invoiced on delivery, not invoiced yet: no credit note; the pick-up's
        return lowers the delivered quantity and the invoice leaves them out."""
        self.kettle.invoice_policy = "delivery"
        order = self.sell_to_dora(invoice=False)
        ticket = self.dora_complaint(order, customer_request="return")
        ticket.with_user(self.cs_user).action_propose_remedy_plan()
        pickup = ticket.remedy_ids.filtered(lambda r: r.action == "return")
        refund = ticket.remedy_ids.filtered(lambda r: r.type_id == self.refund)
        self.assertEqual(refund.amount, 244.26, "what the invoice would have billed")
        pickup.with_user(self.cs_user).action_execute()
        back = pickup.picking_id
        self.assertTrue(all(back.move_ids.mapped("to_refund")), "updates the order")

        refund.with_user(self.cs_user).action_execute()
        self.assertFalse(refund.invoice_id, "nothing invoiced, nothing to reverse")
        self.assertFalse(self.credit_notes(self.dora))
        self.assertEqual(refund.state, "in_progress", "executed when the units are back")
        self.assertEqual(refund.picking_id, back)
        self.assertEqual(refund.document_ref, back.name)
        self.assertIn("left out of the invoice of", refund.customer_info)
        self.assertTrue(
            any("not invoiced yet: no credit note" in m.body for m in refund.message_ids)
        )

        validate_picking(back)
        self.assertEqual(refund.state, "executed")
        self.assertEqual(pickup.state, "executed")
        self.assertIn("returned units are left out", refund.customer_info)
        line = order.order_line
        self.assertEqual((line.qty_delivered, line.qty_to_invoice), (8, 8))
        invoice = order._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.quantity, 8, "the returned units left out")
        self.assertFalse(self.credit_notes(self.dora))

    def test_not_invoiced_and_not_returned_is_refused(self):
        self.kettle.invoice_policy = "delivery"
        order = self.sell_to_dora(invoice=False)
        ticket = self.dora_complaint(order)
        refund = self.add_remedy(ticket, self.refund, quantity=2.0, amount=244.26)
        with self.assertRefused("Execute the pick-up of the 2 units first"):
            refund.with_user(self.cs_user).action_execute()
        self.assertUnchanged(refund)
        self.assertFalse(refund.invoice_id)
        self.assertFalse(self.credit_notes(self.dora))

    def test_not_invoiced_on_ordered_quantities_is_refused(self):
        """Invoiced on the ordered quantities, a return changes nothing to invoice:
        the refund waits for the invoice."""
        order = self.sell_to_dora(invoice=False)
        ticket = self.dora_complaint(order)
        refund = self.add_remedy(ticket, self.refund, quantity=2.0, amount=244.26)
        with self.assertRefused("Invoice the order, then execute the refund"):
            refund.with_user(self.cs_user).action_execute()
        self.assertUnchanged(refund)
        self.assertFalse(self.credit_notes(self.dora))

    def test_exchanged_units_stay_invoiced(self):
        """A pick-up for a replacement does not lower what the order invoices: the
        customer keeps paying for what is exchanged."""
        self.kettle.invoice_policy = "delivery"
        order = self.sell_to_dora(invoice=False)
        ticket = self.dora_complaint(order, customer_request="exchange")
        ticket.with_user(self.cs_user).action_propose_remedy_plan()
        self.assertNotIn(self.refund, ticket.remedy_ids.type_id)
        pickup = ticket.remedy_ids.filtered(lambda r: r.action == "return")
        pickup.with_user(self.cs_user).action_execute()
        validate_picking(pickup.picking_id)
        self.assertEqual(order.order_line.qty_to_invoice, 10)

    def test_compensation_in_company_currency_unless_its_type_says(self):
        order = self.sell_to_dora()
        ticket = self.dora_complaint(order)
        compensation = self.add_remedy(ticket, self.compensation, amount=50.0)
        self.assertEqual(compensation.currency_id, self.company.currency_id)
        compensation.action_execute()
        self.assertRecordValues(
            compensation.invoice_id,
            [{"currency_id": self.company.currency_id.id, "amount_total": 50.0}],
        )
        self.assertFalse(compensation.invoice_id.reversed_entry_id)
        abroad = self.compensation.copy(
            {"name": "Compensation abroad", "currency_id": self.foreign.id}
        )
        compensation = self.add_remedy(ticket, abroad, amount=50.0)
        self.assertEqual(compensation.currency_id, self.foreign)
        self.assertAlmostEqual(compensation._qc_value_company_currency(), 62.5, places=2)
        compensation.action_execute()
        self.assertRecordValues(
            compensation.invoice_id,
            [{"currency_id": self.foreign.id, "amount_total": 50.0, "amount_tax": 0.0}],
        )
        self.assertAlmostEqual(compensation._qc_value_company_currency(), 62.5, places=2)


@tagged("post_install", "-at_install")
class TestRemedyRefundOverRpc(HttpCase, RefundCase):
    """Customer service executes the refund from the web client."""

    def execute_over_rpc(self, remedy, context=None):
        """(result, error message) of the web client's Execute button."""
        response = self.url_open(
            "/web/dataset/call_kw/quality.complaint.remedy/action_execute",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "quality.complaint.remedy",
                        "method": "action_execute",
                        "args": [remedy.ids],
                        "kwargs": {"context": context or {}},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        payload = response.json()
        error = payload.get("error")
        return payload.get("result"), error and error["data"]["message"]

    def test_customer_service_refunds_over_json_rpc(self):
        order = self.sell_to_dora()
        invoice = order.invoice_ids
        ticket = self.dora_complaint(order)
        refund = self.add_remedy(ticket, self.refund, quantity=2.0, amount=244.26)
        self.authenticate(self.cs_user.login, self.cs_user.login.ljust(8, "x"))
        # a context that would have the credit note post itself, undated
        action, error = self.execute_over_rpc(
            refund, {"default_auto_post": "at_date", "default_invoice_date": "2000-01-01"}
        )
        self.assertFalse(error)
        refund.invalidate_recordset()
        credit_note = refund.invoice_id
        self.assertEqual((action["res_model"], action["res_id"]), ("account.move", credit_note.id))
        self.assertRecordValues(
            credit_note,
            [
                {
                    "currency_id": self.foreign.id,
                    "reversed_entry_id": invoice.id,
                    "amount_total": 244.26,
                    "state": "draft",
                    "auto_post": "no",
                    "invoice_date": False,
                }
            ],
        )
        self.assertEqual(refund.state, "in_progress", "accounting posts it")
        credit_note.with_user(self.accountant).action_post()
        self.reconcile(invoice, credit_note)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(credit_note.payment_state, "paid")
        self.assertEqual(refund.state, "executed")

    def test_customer_service_cannot_refund_what_is_not_invoiced_over_json_rpc(self):
        order = self.sell_to_dora(invoice=False)
        ticket = self.dora_complaint(order)
        refund = self.add_remedy(ticket, self.refund, quantity=2.0, amount=244.26)
        self.authenticate(self.cs_user.login, self.cs_user.login.ljust(8, "x"))
        _result, error = self.execute_over_rpc(refund)
        self.assertIn("Invoice the order, then execute the refund", error or "")
        refund.invalidate_recordset()
        self.assertEqual(refund.state, "planned")
        self.assertFalse(self.credit_notes(self.dora))
