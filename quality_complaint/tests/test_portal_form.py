import base64

from odoo import http
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import receive_lots, sell_and_deliver

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class PortalFormCase(HttpCase):
    """Frida, a portal customer, received 3 Form Kettles of lot FORM-LOT-1 and a
    toaster of lot FORM-LOT-TOASTER; Pete, another customer, received a kettle of
    lot FORM-LOT-OTHER."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        env = cls.env
        cls.team = env.ref("quality_complaint.helpdesk_team_quality_complaints")
        env.company.qc_team_id = cls.team
        # helpdesk_mgmt assigns a new ticket to its creating user when this is on
        env.company.helpdesk_mgmt_ticket_auto_assign = True
        cls.cs_user = new_test_user(
            env,
            login="qc_form_cs",
            name="Carla Service",
            email="carla@example.com",
            groups="quality_complaint.group_complaint_user",
        )
        cls.frida = new_test_user(
            env,
            login="qc_form_frida",
            name="Frida Form",
            email="frida@example.com",
            groups="base.group_portal",
        )
        cls.pete = new_test_user(
            env,
            login="qc_form_pete",
            name="Pete Other",
            email="pete@example.com",
            groups="base.group_portal",
        )
        cls.nobody = new_test_user(
            env, login="qc_form_nobody", name="Nora Nothing", groups="base.group_portal"
        )
        vendor = env["res.partner"].create({"name": "Form Kettle Vendor"})
        Product = env["product.product"]
        cls.kettle = Product.create(
            {"name": "Form Kettle", "type": "consu", "is_storable": True, "tracking": "lot"}
        )
        cls.toaster = Product.create(
            {"name": "Form Toaster", "type": "consu", "is_storable": True, "tracking": "lot"}
        )
        receive_lots(env, vendor, cls.kettle, {"FORM-LOT-1": 5, "FORM-LOT-OTHER": 5})
        receive_lots(env, vendor, cls.toaster, {"FORM-LOT-TOASTER": 5})
        Lot = env["stock.lot"]
        cls.lot = Lot.search([("name", "=", "FORM-LOT-1")])
        cls.lot_other = Lot.search([("name", "=", "FORM-LOT-OTHER")])
        cls.lot_toaster = Lot.search([("name", "=", "FORM-LOT-TOASTER")])
        cls.order = sell_and_deliver(
            env,
            cls.frida.partner_id,
            [(cls.kettle, 3, cls.lot, None), (cls.toaster, 1, cls.lot_toaster, None)],
        )
        cls.line = cls.order.order_line.filtered(lambda ln: ln.product_id == cls.kettle)
        cls.order_pete = sell_and_deliver(
            env, cls.pete.partner_id, [(cls.kettle, 1, cls.lot_other, None)]
        )
        cls.line_pete = cls.order_pete.order_line
        cls.category = env.ref("quality_complaint.defect_category_function")

    # ------------------------------------------------------------ helpers
    def complaints(self):
        self.env.invalidate_all()
        return self.env["helpdesk.ticket"].search([("is_quality_complaint", "=", True)])

    def form(self, **overrides):
        values = {
            "line_id": self.line.id,
            "lot_ids": [self.lot.id],
            "description": "Water drips from the base seam whenever the kettle is filled "
            "above one litre.",
            "occurrence": "In the kitchen, from the first use.",
            "impact_level": "main_function",
            "defect_category_id": self.category.id,
            "customer_request": "exchange",
            "affected_qty": "2",
        }
        values.update(overrides)
        return values

    def submit(self, data, files=None, allow_redirects=True):
        return self.url_open(
            "/my/complaints/submit",
            data={**data, "csrf_token": http.Request.csrf_token(self)},
            files=files if files is not None else [("evidence", ("leak.png", PNG, "image/png"))],
            allow_redirects=allow_redirects,
        )

    def ack_messages(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and "has been received" in (m.subject or "")
        )


@tagged("post_install", "-at_install")
class TestPortalComplaintForm(PortalFormCase):
    def test_customer_files_a_complaint_on_the_portal(self):
        before = self.complaints()
        self.start_tour("/my", "quality_complaint_portal_form_tour", login="qc_form_frida")

        ticket = self.complaints() - before
        self.assertEqual(len(ticket), 1, "one complaint filed")
        self.assertEqual(ticket.team_id, self.team)
        self.assertFalse(ticket.user_id, "the customer is never the complaint's assignee")
        self.assertEqual(
            ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        )
        self.assertEqual(ticket.complaint_state, "draft")
        # Table 1, from what the customer chose
        self.assertEqual(ticket.partner_id, self.frida.partner_id)
        self.assertEqual(ticket.sale_order_id, self.order)
        self.assertEqual(ticket.sale_line_id, self.line)
        self.assertEqual(ticket.product_id, self.kettle)
        self.assertEqual(ticket.lot_ids, self.lot, "only the lot she ticked")
        self.assertEqual(ticket.purchase_date, ticket._qc_company_today(self.order.effective_date))
        self.assertEqual(ticket.affected_qty, 2)
        self.assertIn("Water drips from the base seam", ticket.description)
        self.assertEqual(ticket.occurrence, "In the kitchen, from the first use.")
        self.assertEqual(ticket.impact_level, "main_function")
        self.assertEqual(ticket.customer_request, "exchange")
        self.assertEqual(ticket.defect_category_id, self.category)
        # the photo, linked as evidence and shown to her on the portal
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachments.mapped("name"), ["leak.png"])
        self.assertEqual(ticket.evidence_count, 1)
        self.assertIn(attachments, ticket.with_user(self.frida)._qc_portal_attachments())
        # the checklist: nothing missing, what customer service still confirms
        self.assertFalse(ticket.registration_missing)
        self.assertIn(self.category.confirmation_hint, ticket.registration_to_confirm)
        # the acknowledgement, queued at once, sent once
        self.assertTrue(ticket.qc_messages_due, "the acknowledgement is queued")
        self.env["helpdesk.ticket"]._cron_send_customer_messages()
        ack = self.ack_messages(ticket)
        self.assertEqual(len(ack), 1)
        self.assertIn(self.frida.partner_id, ack.partner_ids)
        self.assertIn("24 hours", ack.body)
        self.assertTrue(ticket.ack_sent_date)
        self.assertIn("24", ticket.qc_portal_promise)

        # customer service registers it with one click
        ticket.with_user(self.cs_user).action_register_complaint()
        self.assertEqual(ticket.complaint_state, "registered")
        self.assertTrue(ticket.grade_id)
        self.env["helpdesk.ticket"]._cron_send_customer_messages()
        self.assertEqual(len(self.ack_messages(ticket)), 1, "acknowledged once, not again")
        self.assertEqual(ticket.grade_announced_id, ticket.grade_id, "the graded time is told")

    def test_entry_on_my_account_for_customers_with_deliveries(self):
        self.authenticate("qc_form_frida", "qc_form_frida")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["qc_complaint_line_count"]}
        )
        self.assertEqual(counters["qc_complaint_line_count"], 2)
        self.assertIn('href="/my/complaints/new"', self.url_open("/my").text)
        self.authenticate("qc_form_nobody", "qc_form_nobody")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["qc_complaint_line_count"]}
        )
        self.assertEqual(counters["qc_complaint_line_count"], 0, "no delivery: no entry")
        page = self.url_open("/my/complaints/new")
        self.assertIn("no delivered order of yours", page.text)

    def test_form_offers_only_her_lines_and_lots(self):
        self.authenticate("qc_form_frida", "qc_form_frida")
        page = self.url_open("/my/complaints/new")
        self.assertEqual(page.status_code, 200)
        self.assertIn("FORM-LOT-1", page.text)
        self.assertIn("FORM-LOT-TOASTER", page.text)
        self.assertIn(f'value="{self.line.id}"', page.text)
        self.assertNotIn("FORM-LOT-OTHER", page.text, "another customer's lot")
        self.assertNotIn(self.order_pete.name, page.text, "another customer's order")

    def test_posted_keys_other_than_the_form_are_ignored(self):
        self.authenticate("qc_form_frida", "qc_form_frida")
        before = self.complaints()
        response = self.submit(
            self.form(
                partner_id=self.pete.partner_id.id,
                user_id=self.cs_user.id,
                complaint_state="registered",
                sale_order_id=self.order_pete.id,
                description="Water drips from the seam.",
            )
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.complaints() - before
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.frida.partner_id)
        self.assertEqual(ticket.sale_order_id, self.order)
        self.assertEqual(ticket.complaint_state, "draft")
        self.assertFalse(ticket.registered_by_id)


@tagged("post_install", "-at_install")
class TestPortalComplaintFormRefusals(PortalFormCase):
    def assert_refused(self, response, message):
        self.assertEqual(response.status_code, 400)
        self.assertIn(message, response.text)
        self.assertIn("o_qc_complaint_error", response.text)

    def test_another_customers_order_line(self):
        self.authenticate("qc_form_frida", "qc_form_frida")
        before = self.complaints()
        response = self.submit(self.form(line_id=self.line_pete.id, lot_ids=[self.lot_other.id]))
        self.assert_refused(response, "this one is not among your deliveries")
        self.assertEqual(self.complaints(), before, "nothing created")

    def test_another_customers_lot_on_her_line(self):
        self.authenticate("qc_form_frida", "qc_form_frida")
        before = self.complaints()
        response = self.submit(self.form(lot_ids=[self.lot.id, self.lot_other.id]))
        self.assert_refused(response, "was not delivered to you on this line")
        self.assertEqual(self.complaints(), before)
        # her own lot of another line is no lot of this line either
        response = self.submit(self.form(lot_ids=[self.lot_toaster.id]))
        self.assert_refused(response, "was not delivered to you on this line")
        self.assertEqual(self.complaints(), before)

    def test_daily_limit_of_complaints_filed_online(self):
        """Each filing is acknowledged at once (an e-mail, an SMS where set up): a
        customer files at most the company's number a day; another customer is not
        held by her count; 0 lifts the limit."""
        self.env.company.qc_portal_daily_limit = 2
        self.authenticate("qc_form_frida", "qc_form_frida")
        before = self.complaints()
        for _filing in range(2):
            self.assertEqual(self.submit(self.form()).status_code, 200)
        filed = self.complaints() - before
        self.assertEqual(len(filed), 2)
        filed[:1].active = False  # an archived one still counts
        response = self.submit(self.form())
        self.assert_refused(response, "You have filed 2 complaints online in the last 24 hours")
        self.assertEqual(self.complaints() - before, filed[1:], "nothing more created")
        self.authenticate("qc_form_pete", "qc_form_pete")
        response = self.submit(
            self.form(line_id=self.line_pete.id, lot_ids=[self.lot_other.id], affected_qty="1")
        )
        self.assertEqual(response.status_code, 200, "Pete files his own")
        self.env.company.qc_portal_daily_limit = 0
        self.authenticate("qc_form_frida", "qc_form_frida")
        self.assertEqual(self.submit(self.form()).status_code, 200, "no limit")
        with self.assertRaises(ValidationError):
            self.env.company.qc_portal_daily_limit = -1

    def test_public_visitor(self):
        self.authenticate(None, None)
        before = self.complaints()
        page = self.url_open("/my/complaints/new", allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))
        self.assertIn("/web/login", page.headers["Location"])
        response = self.submit(self.form(), allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        self.assertEqual(self.complaints(), before, "nothing created")

    def test_employee_is_no_customer(self):
        self.authenticate("qc_form_cs", "qc_form_cs")
        before = self.complaints()
        self.assertEqual(self.url_open("/my/complaints/new").status_code, 403)
        self.assertEqual(self.submit(self.form()).status_code, 403)
        self.assertEqual(self.complaints(), before)

    def test_file_over_the_size_limit(self):
        self.env.company.qc_upload_max_mb = 1
        self.authenticate("qc_form_frida", "qc_form_frida")
        before = self.complaints()
        big = PNG + b"\0" * (1024 * 1024)
        response = self.submit(self.form(), files=[("evidence", ("big.png", big, "image/png"))])
        self.assert_refused(response, "big.png is too large: a file may have at most 1 MB.")
        self.assertEqual(self.complaints(), before)
        self.assertFalse(
            self.env["ir.attachment"].search([("name", "=", "big.png")]), "no file stored"
        )

    def test_file_of_a_refused_type(self):
        self.authenticate("qc_form_frida", "qc_form_frida")
        before = self.complaints()
        program = b"MZ\x90\x00" + b"\0" * 200
        response = self.submit(
            self.form(), files=[("evidence", ("tool.exe", program, "application/octet-stream"))]
        )
        self.assert_refused(response, "tool.exe cannot be added: only these types are accepted")
        self.assertEqual(self.complaints(), before)

    def test_quantity_and_missing_answers(self):
        self.authenticate("qc_form_frida", "qc_form_frida")
        before = self.complaints()
        self.assert_refused(
            self.submit(self.form(affected_qty="4")), "the affected quantity cannot be more"
        )
        self.assert_refused(self.submit(self.form(affected_qty="0")), "must be a number above zero")
        self.assert_refused(self.submit(self.form(impact_level="apocalypse")), "choose the impact")
        self.assert_refused(self.submit(self.form(occurrence=" ")), "When and where it happens")
        self.assertEqual(self.complaints(), before)


@tagged("post_install", "-at_install")
class TestPortalComplaintFormChinese(PortalFormCase):
    def test_form_and_refusal_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["quality_complaint"], ["zh_CN"])
        self.frida.lang = "zh_CN"
        self.authenticate("qc_form_frida", "qc_form_frida")
        page = self.url_open("/my/complaints/new").text
        for text in (
            "提交质量投诉",
            "哪个产品",
            "您收到的批次 / 序列号",
            "发生了什么",
            "提交我的投诉",
        ):
            self.assertIn(text, page)
        before = self.complaints()
        response = self.submit(self.form(line_id=self.line_pete.id))
        self.assertIn("该订单行不在您的交付中", response.text)
        self.assertEqual(self.complaints(), before)

    def test_demo_customer_has_the_entry(self):
        lena = self.env.ref("quality_complaint.demo_user_portal_lena", raise_if_not_found=False)
        if not lena:
            self.skipTest("no demo data")
        lines = self.env["helpdesk.ticket"].with_user(lena)._qc_portal_intake_lines()
        self.assertTrue(lines, "Lena's delivered kettle line is offered")
        lots = self.env["helpdesk.ticket"]._qc_portal_intake_lots(lines)
        self.assertTrue(any(lots.values()), "with the lot she received")
