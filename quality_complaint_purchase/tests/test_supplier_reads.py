"""What the supplier reads of a request, and the request's states as a buyer walks
them (issue 20)."""

from freezegun import freeze_time
from lxml import etree

from odoo import Command, fields
from odoo.addons.quality_complaint.tests.common import receive_lots
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common_supplier import SupplierActionCase

PROBLEM = "Gaskets of lot K1-A are 0.2 mm thinner than the drawing: the kettles leak."
INTERNAL_DESCRIPTION = "Ask purchasing to squeeze the gasket price at the next meeting."


@tagged("post_install", "-at_install")
class TestSupplierReads(SupplierActionCase, HttpCase):
    """Kettle Parts Ltd reads the problem told to it, its own lot K1-A and our
    purchase orders from it; never our description, our root cause ("Gasket lot out
    of spec"), Seal Works' lot K1-Z on the same action nor Seal Works' order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        receipt = receive_lots(cls.env, cls.vendor_two, cls.kettle, {"K1-Z": 5})
        cls.order_two = receipt.purchase_id
        cls.lot_z = cls.env["stock.lot"].search([("name", "=", "K1-Z")])
        orders = cls.env["purchase.order"].search([("partner_id", "=", cls.vendor.id)])
        cls.order_kettle = orders.filtered(lambda o: o.order_line.product_id == cls.kettle)
        cls.order_kettle.partner_ref = "SO-4411"
        cls.order_toaster = orders - cls.order_kettle

    def reads_action(self):
        return self.supplier_action(
            description=f"<p>{INTERNAL_DESCRIPTION}</p>",
            supplier_problem=PROBLEM,
            lot_ids=[Command.set((self.lot_a | self.lot_z).ids)],
            purchase_order_ids=[Command.set((self.order_toaster | self.order_two).ids)],
        )

    def assert_written_for_the_supplier(self, text, action):
        self.assertIn(PROBLEM, text, "the problem told to the supplier")
        self.assertIn("K1-A", text, "its own lot")
        self.assertIn(self.order_kettle.name, text, "the order its lot came on")
        self.assertIn("SO-4411", text, "with its own reference")
        self.assertIn(self.order_toaster.name, text, "the order the action names")
        self.assertNotIn(INTERNAL_DESCRIPTION, text, "our description is internal")
        self.assertNotIn("Gasket lot out of spec", text, "our root cause is internal")
        self.assertNotIn("K1-Z", text, "another vendor's lot")
        self.assertNotIn(self.order_two.name, text, "another vendor's order")
        self.assertNotIn("Oscar Officer", text, "the owner stays internal")

    def test_request_mail_is_written_for_the_supplier(self):
        action = self.reads_action()
        self.assertEqual(action.root_cause, "Gasket lot out of spec")
        action.with_user(self.buyer).action_send_supplier_request()
        mail = self.mails_to(action, self.vendor_contact, "corrective action request")
        self.assertEqual(len(mail), 1)
        body = str(mail.body)
        self.assert_written_for_the_supplier(body, action)
        self.assertIn(f"/my/supplier-actions/{action.id}?access_token={action.access_token}", body)
        due = fields.Date.to_date(action.supplier_answer_due)
        self.assertIn(due.strftime("%m/%d/%Y"), body, "the answer's due date")

    def test_request_mail_in_the_contacts_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["quality_complaint_purchase"], ["zh_CN"])
        self.vendor_contact.lang = "zh_CN"
        action = self.reads_action()
        action.with_user(self.buyer).action_send_supplier_request()
        mail = self.mails_to(action, self.vendor_contact, "纠正措施请求")
        self.assertEqual(len(mail), 1)
        body = str(mail.body)
        self.assertIn("涉及的贵方批次", body)
        self.assertIn("贵方参考号 SO-4411", body)
        self.assert_written_for_the_supplier(body, action)

    def test_portal_page_is_written_for_the_supplier(self):
        action = self.reads_action()
        action.with_user(self.buyer).action_send_supplier_request()
        self.authenticate("qc_supplier", "qc_supplier")
        listing = self.url_open("/my/supplier-actions").text
        self.assertIn("Awaiting your answer", listing)
        page = self.url_open(f"/my/supplier-actions/{action.id}")
        self.assertEqual(page.status_code, 200)
        self.assert_written_for_the_supplier(page.text, action)
        self.assertIn("Send the answer", page.text)

        as_supplier = action.with_user(self.supplier_user)
        self.assertEqual(as_supplier.read(["supplier_problem"])[0]["supplier_problem"], PROBLEM)
        for name in ("description", "root_cause"):
            with self.assertRaises(AccessError, msg=name):
                as_supplier.read([name])

    def test_other_supplier_lots_are_not_named(self):
        """Seal Works' request on the same lots names its own lot and order only."""
        action = self.reads_action()
        action.partner_id = self.vendor_two
        action.purchase_order_ids = [Command.set(self.order_toaster.ids)]
        scope = action.with_user(self.buyer)._qca_supplier_scope()
        self.assertEqual(scope["lots"], "K1-Z")
        self.assertEqual(scope["orders"], self.order_two.name, "not Kettle Parts' orders")


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestSupplierStates(SupplierActionCase):
    """Bea the buyer walks a request: not sent, sent, answered, rejected and sent
    back, answered again, accepted; each step says who acts next."""

    def label(self, action):
        return dict(action._fields["supplier_state"]._description_selection(self.env))[
            action.supplier_state
        ]

    def filter_domain(self, name):
        arch = self.Action.get_views([(False, "search")])["views"]["search"]["arch"]
        node = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")[0]
        return node.get("string"), safe_eval(
            node.get("domain"), {"context_today": lambda: fields.Date.context_today(self.Action)}
        )

    def found_by(self, action, name):
        return action in self.Action.search(self.filter_domain(name)[1])

    def test_states_as_the_buyer_walks_them(self):
        action = self.supplier_action()
        buyer_action = action.with_user(self.buyer)
        self.assertEqual(self.label(action), "Not sent")
        self.assertIn("send the request to Sam Supplier", buyer_action.supplier_next_step)
        self.assertEqual(self.filter_domain("supplier_awaiting")[0], "Awaiting the Supplier")
        self.assertEqual(self.filter_domain("supplier_to_review")[0], "To Review")
        self.assertTrue(self.found_by(action, "supplier_not_sent"))

        buyer_action.action_send_supplier_request()
        self.assertEqual(self.label(action), "Sent")
        buyer_action.invalidate_recordset()
        self.assertEqual(
            buyer_action.supplier_next_step,
            "Sent: waiting for the answer of Sam Supplier (Kettle Parts Ltd), due on 03/09/2026.",
        )
        self.assertTrue(self.found_by(action, "supplier_awaiting"))
        self.assertFalse(self.found_by(action, "supplier_not_sent"))

        with freeze_time("2026-03-10 09:00:00"):
            buyer_action.invalidate_recordset()
            self.assertIn("was due on 03/09/2026 and is overdue", buyer_action.supplier_next_step)
            self.assertTrue(self.found_by(action, "supplier_overdue"))

        self.answer(action)
        self.assertEqual(self.label(action), "Answered")
        buyer_action.invalidate_recordset()
        self.assertIn("review the answer", buyer_action.supplier_next_step)
        self.assertTrue(self.found_by(action, "supplier_to_review"))
        self.assertFalse(self.found_by(action, "supplier_awaiting"))

        buyer_action._qca_supplier_reject("Send the thickness test records.")
        self.assertEqual(self.label(action), "Rejected, sent back")
        buyer_action.invalidate_recordset()
        self.assertEqual(
            buyer_action.supplier_next_step,
            "Rejected and sent back to Sam Supplier (Kettle Parts Ltd) with the reason: a new "
            "answer is due on 03/09/2026.",
        )
        self.assertTrue(self.found_by(action, "supplier_awaiting"), "the supplier acts again")

        self.answer(action, root_cause="The test bench could be bypassed; now interlocked.")
        self.assertEqual(self.label(action), "Answered")
        buyer_action.action_accept_supplier_answer()
        self.assertEqual(self.label(action), "Accepted")
        buyer_action.invalidate_recordset()
        self.assertEqual(
            buyer_action.supplier_next_step,
            "Accepted: nothing more is awaited from the supplier.",
        )
        self.assertFalse(self.found_by(action, "supplier_awaiting"))
        self.assertFalse(self.found_by(action, "supplier_to_review"))

    def test_form_shows_the_request_statusbar_and_next_step(self):
        arch = self.Action.with_user(self.buyer).get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        doc = etree.fromstring(arch)
        bar = doc.xpath("//field[@name='supplier_state'][@widget='statusbar']")
        self.assertEqual(len(bar), 1)
        self.assertEqual(bar[0].get("statusbar_visible"), "none,requested,answered,accepted")
        self.assertTrue(doc.xpath("//field[@name='supplier_next_step']"))
