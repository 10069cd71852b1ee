from odoo import fields, http
from odoo.addons.quality_complaint.tests.common_rpc import call_kw_message
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common_supplier import SupplierActionCase


@tagged("post_install", "-at_install")
class TestSupplierPortal(SupplierActionCase, HttpCase):
    """Sam (Kettle Parts Ltd) answers on /my/supplier-actions; Sue (Seal Works)
    must neither see nor answer Kettle Parts' requests."""

    def post_answer(self, action, data, files=None):
        response = self.url_open(
            f"/my/supplier-actions/{action.id}/answer",
            data={**data, "csrf_token": http.Request.csrf_token(self)},
            files=files,
        )
        self.env.invalidate_all()
        return response

    def form_data(self, **overrides):
        values = self.answer_values(**overrides)
        values.pop("evidence")
        values["containment_done"] = "on" if values["containment_done"] else ""
        return values

    def test_supplier_sees_its_requests_and_answers_one(self):
        mine = self.requested_action()
        self.requested_action(partner_id=self.vendor_two.id, title="Seal hardness")
        not_sent = self.supplier_action(title="Review the gasket drawing")
        self.authenticate("qc_supplier", "qc_supplier")

        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["qc_supplier_action_count"]}
        )
        self.assertEqual(counters["qc_supplier_action_count"], 1)
        self.assertIn("Corrective action requests", self.url_open("/my").text)
        page = self.url_open("/my/supplier-actions")
        self.assertEqual(page.status_code, 200)
        self.assertIn(mine.name, page.text)
        self.assertIn("Awaiting your answer", page.text)
        self.assertNotIn("Seal hardness", page.text, "another supplier's request")
        self.assertNotIn(not_sent.name, page.text, "not sent yet")

        page = self.url_open(f"/my/supplier-actions/{mine.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("K1-A", page.text, "its lot")
        self.assertNotIn("Gasket lot out of spec", page.text, "our root cause stays internal")
        self.assertIn("Send the answer", page.text)
        self.assertNotIn("Oscar Officer", page.text, "the owner stays internal")

        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        response = self.post_answer(
            mine,
            self.form_data(),
            files=[
                ("evidence", ("report.pdf", b"%PDF-1.4 report")),
                ("evidence", ("trap.svg", svg)),
            ],
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("qca_notice=answer_sent", response.url)
        self.assertIn("your answer was sent", response.text)
        self.assertNotIn("Send the answer", response.text, "no form any more")
        self.assertIn("night shift", response.text)
        self.assertEqual(mine.supplier_state, "answered")
        self.assertEqual(mine.supplier_answered_by, self.vendor_contact)
        self.assertTrue(mine.supplier_containment_done)
        evidence = mine.supplier_evidence_ids
        self.assertEqual(sorted(evidence.mapped("name")), ["report.pdf", "trap.svg"])
        trap = evidence.filtered(lambda a: a.name == "trap.svg")
        self.assertEqual(trap.mimetype, "text/plain", "never rendered as a page")

        response = self.post_answer(mine, self.form_data(root_cause="Second thoughts"))
        self.assertIn("your answer was already received", response.text)
        self.assertNotIn("Second thoughts", mine.supplier_root_cause)

    def test_another_supplier_can_neither_see_nor_answer(self):
        action = self.requested_action()
        self.authenticate("qc_supplier_two", "qc_supplier_two")
        self.assertEqual(self.url_open("/my/supplier-actions").status_code, 200)
        self.assertNotIn(action.name, self.url_open("/my/supplier-actions").text)
        response = self.url_open(f"/my/supplier-actions/{action.id}")
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotIn("Raise incoming sampling", response.text)

        response = self.post_answer(
            action, self.form_data(), files=[("evidence", ("fake.pdf", b"%PDF not mine"))]
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(action.supplier_state, "requested")
        self.assertFalse(action.supplier_root_cause)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", action._name), ("res_id", "=", action.id)]
            )
        )

    def test_signed_link_of_the_email_without_logging_in(self):
        action = self.requested_action()
        token = action.access_token
        self.authenticate(None, None)
        response = self.url_open(f"/my/supplier-actions/{action.id}?access_token=wrong")
        self.assertNotIn("Raise incoming sampling", response.text)
        response = self.url_open(f"/my/supplier-actions/{action.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Raise incoming sampling", response.text)

        yesterday = fields.Date.to_string(fields.Date.add(fields.Date.today(), days=-1))
        response = self.post_answer(
            action, {**self.form_data(planned_date=yesterday), "access_token": "wrong"}
        )
        self.assertEqual(response.status_code, 403)
        response = self.post_answer(
            action, {**self.form_data(planned_date=yesterday), "access_token": token}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"The planned date {yesterday} is in the past", response.text)
        self.assertIn(
            "skipped on the night shift.</textarea>", response.text, "nothing typed is lost"
        )
        self.assertEqual(action.supplier_state, "requested")
        self.assertFalse(action.supplier_root_cause)

        response = self.post_answer(action, {**self.form_data(), "access_token": token})
        self.assertIn(f"access_token={token}", response.url)
        self.assertIn("your answer was sent", response.text)
        self.assertEqual(action.supplier_state, "answered")
        self.assertEqual(action.supplier_answered_by, self.vendor_contact)

    def test_supplier_reads_no_internal_field(self):
        """Over RPC a portal supplier reads its request, not our investigation,
        complaints, department, purchase orders or held lots."""
        action = self.new_action(partner_id=self.vendor.id)
        action.sudo().supplier_state = "requested"
        as_supplier = action.with_user(self.supplier_user)
        self.assertEqual(as_supplier.read(["title"])[0]["title"], action.title)
        for name in ("investigation_id", "ticket_ids", "purchase_order_ids", "held_lot_ids"):
            with self.assertRaises(AccessError, msg=name):
                as_supplier.read([name])


@tagged("post_install", "-at_install")
class TestSupplierLink(SupplierActionCase, HttpCase):
    """The request belongs to its supplier, its signed link to the contact it was
    sent to, and the answer to whoever gave it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tom = cls.env["res.partner"].create(
            {"name": "Tom Parts", "email": "tom@parts.example.com", "parent_id": cls.vendor.id}
        )
        cls.tom_user = new_test_user(
            cls.env, login="qc_supplier_tom", groups="base.group_portal", partner_id=cls.tom.id
        )

    def call_kw(self, model, method, args, kwargs=None):
        """(result, error message) of a JSON-RPC call, as the web client makes it."""
        return call_kw_message(self, model, method, args, kwargs)

    def post_answer(self, action, data):
        response = self.url_open(
            f"/my/supplier-actions/{action.id}/answer",
            data={**data, "csrf_token": http.Request.csrf_token(self)},
        )
        self.env.invalidate_all()
        return response

    def form_data(self, **overrides):
        values = self.answer_values(**overrides)
        values.pop("evidence")
        values["containment_done"] = "on"
        return values

    def assert_link_dead(self, action, token):
        """The signed link ``token`` neither shows nor answers the request."""
        page = self.url_open(f"/my/supplier-actions/{action.id}?access_token={token}")
        self.assertNotIn("Raise incoming sampling", page.text)
        self.assertNotIn("Send the answer", page.text)
        response = self.post_answer(
            action, {**self.form_data(root_cause="Through an old link"), "access_token": token}
        )
        self.assertEqual(response.status_code, 403)
        self.assertNotEqual(action.supplier_root_cause, "Through an old link")

    def test_supplier_of_a_sent_request_cannot_be_changed(self):
        action = self.requested_action()
        draft = self.supplier_action(title="Not sent yet")
        # Purchasing writes no field of an action at all.
        self.authenticate("qc_buyer", "qc_buyer")
        _result, error = self.call_kw(
            action._name, "write", [action.ids, {"partner_id": self.vendor_two.id}]
        )
        self.assertTrue(error)
        self.assertEqual(action.partner_id, self.vendor)
        # Quality may not re-address it to another supplier either.
        self.authenticate("qc_officer", "qc_officer")
        _result, error = self.call_kw(
            action._name, "write", [action.ids, {"partner_id": self.vendor_two.id}]
        )
        self.assertIn("its supplier cannot be changed", error or "")
        self.assertIn("create a new one", error)
        self.assertEqual(action.partner_id, self.vendor)
        self.assertEqual(action.supplier_contact_id, self.vendor_contact)
        # The same supplier named through one of its contacts is no change.
        _result, error = self.call_kw(
            action._name, "write", [action.ids, {"partner_id": self.tom.id}]
        )
        self.assertFalse(error)
        self.assertEqual(action.partner_id, self.vendor)
        # Before the request is sent, the supplier is still chosen freely.
        _result, error = self.call_kw(
            draft._name, "write", [draft.ids, {"partner_id": self.vendor_two.id}]
        )
        self.assertFalse(error)
        self.assertEqual(draft.partner_id, self.vendor_two)

    def test_old_link_dies_when_the_request_is_readdressed(self):
        action = self.requested_action()
        sams_token = action.access_token
        self.authenticate("qc_supplier", "qc_supplier")
        _result, error = self.call_kw(
            action._name, "write", [action.ids, {"supplier_contact_id": self.tom.id}]
        )
        self.assertTrue(error, "a supplier does not re-address our requests")
        self.assertEqual(action.supplier_contact_id, self.vendor_contact)

        self.authenticate("qc_officer", "qc_officer")
        _result, error = self.call_kw(
            action._name, "write", [action.ids, {"supplier_contact_id": self.tom.id}]
        )
        self.assertFalse(error)
        self.assertEqual(action.supplier_contact_id, self.tom)
        toms_token = action.access_token
        self.assertNotEqual(toms_token, sams_token)
        mail = self.mails_to(action, self.tom, "corrective action request")
        self.assertEqual(len(mail), 1, "the new contact receives the request")
        self.assertIn(f"access_token={toms_token}", mail.body)
        self.assertNotIn(self.vendor_contact, action.message_partner_ids)

        self.authenticate(None, None)
        self.assert_link_dead(action, sams_token)
        self.assertEqual(action.supplier_state, "requested")
        response = self.post_answer(action, {**self.form_data(), "access_token": toms_token})
        self.assertIn("your answer was sent", response.text)
        self.assertEqual(action.supplier_state, "answered")
        self.assertEqual(action.supplier_answered_by, self.tom, "answered through Tom's link")

    def test_old_link_dies_when_the_action_is_cancelled(self):
        action = self.requested_action()
        token = action.access_token
        action.with_user(self.officer).action_cancel()
        self.assertNotEqual(action.access_token, token)
        self.authenticate(None, None)
        self.assert_link_dead(action, token)
        # Not even a link signed after the cancellation opens it.
        self.assert_link_dead(action, action.access_token)
        self.assertEqual(action.supplier_state, "requested")
        self.assertFalse(action.supplier_answer_date)

    def test_answer_is_recorded_as_given_by_whoever_answered(self):
        action = self.requested_action()
        self.assertEqual(action.supplier_contact_id, self.vendor_contact)
        # Tom, logged in, answers the request addressed to Sam: Tom answered.
        self.authenticate("qc_supplier_tom", "qc_supplier_tom")
        response = self.post_answer(action, self.form_data())
        self.assertIn("your answer was sent", response.text)
        self.assertEqual(action.supplier_answered_by, self.tom)
        self.assertEqual(action.supplier_deadline_id.done_by_id, self.tom_user)
        message = action.message_ids.filtered(lambda m: "The supplier answered" in (m.body or ""))
        self.assertEqual(message.author_id, self.tom)
        # The superuser is nobody's supplier: it answers for no one.
        second = self.requested_action(title="Second request")
        with self.assertRaisesRegex(AccessError, "not addressed to your company"):
            second.sudo()._qca_supplier_answer(self.answer_values())
        self.assertEqual(second.supplier_state, "requested")
        self.assertFalse(second.supplier_answered_by)
