from datetime import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.addons.quality_complaint.tests.common import other_company_user
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common_supplier import SupplierActionCase

REVIEW = "Review the supplier's answer"


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestSupplierAction(SupplierActionCase):
    def test_request_mails_the_contact_the_portal_link_and_starts_the_clock(self):
        action = self.supplier_action()
        self.assertEqual(
            action.supplier_contact_id, self.vendor_contact, "first contact with an e-mail"
        )
        self.assertEqual(action.supplier_state, "none")
        with self.assertRaises(AccessError):
            action.with_user(self.cs_user).action_send_supplier_request()

        action.with_user(self.buyer).action_send_supplier_request()
        self.assertEqual(action.supplier_state, "requested")
        self.assertEqual(action.supplier_request_date, fields.Datetime.now())
        self.assertEqual(action.supplier_answer_due, fields.Date.to_date("2026-03-09"))
        clock = action.supplier_deadline_id
        self.assertEqual((clock.kind, clock.unit, clock.duration), ("supplier_answer", "days", 7))
        self.assertEqual(clock.deadline, datetime(2026, 3, 9, 9, 0))
        mail = self.mails_to(action, self.vendor_contact, "corrective action request")
        self.assertEqual(len(mail), 1)
        link = f"/my/supplier-actions/{action.id}?access_token={action.access_token}"
        self.assertTrue(action.access_token)
        self.assertIn(link, mail.body)
        self.assertIn("K1-A", mail.body, "the supplier's lot is named")
        self.assertNotIn("Gasket lot out of spec", mail.body, "our root cause stays internal")
        to_contact = mail.notification_ids.filtered(
            lambda n: n.res_partner_id == self.vendor_contact
        )
        self.assertEqual(to_contact.notification_type, "email")
        self.assertIn(self.vendor_contact, action.message_partner_ids, "the contact follows it")
        with self.assertRaisesRegex(UserError, "already sent"):
            action.with_user(self.buyer).action_send_supplier_request()

    def test_request_needs_a_supplier_and_a_contact_with_an_email(self):
        action = self.open_action()
        with self.assertRaisesRegex(UserError, "Set the supplier"):
            action.with_user(self.officer).action_send_supplier_request()
        silent = self.env["res.partner"].create({"name": "Silent Parts", "is_company": True})
        action.partner_id = silent
        self.assertEqual(action.supplier_contact_id, silent, "no contact: the supplier itself")
        with self.assertRaisesRegex(UserError, "has no e-mail address"):
            action.with_user(self.officer).action_send_supplier_request()
        self.assertEqual(action.supplier_state, "none")
        self.assertFalse(action.supplier_deadline_id)
        self.assertFalse(action.message_ids.filtered(lambda m: silent in m.partner_ids))
        with self.assertRaises(AccessError):
            action.with_user(self.buyer).write({"supplier_state": "requested"})
        self.assertEqual(action.supplier_state, "none")

    def test_supplier_answers_and_the_buyer_accepts(self):
        action = self.requested_action()
        with freeze_time("2026-03-05 14:00:00"):
            self.answer(action)
        self.assertEqual(action.supplier_state, "answered")
        self.assertEqual(
            action.supplier_root_cause, "The thickness test was skipped on the night shift."
        )
        self.assertTrue(action.supplier_containment_done)
        self.assertEqual(action.supplier_planned_date, fields.Date.to_date("2026-04-04"))
        self.assertEqual(action.supplier_answered_by, self.vendor_contact)
        self.assertEqual(action.supplier_answer_date, datetime(2026, 3, 5, 14, 0))
        evidence = action.supplier_evidence_ids
        self.assertEqual(evidence.mapped("name"), ["test-report.pdf"])
        self.assertEqual((evidence.res_model, evidence.res_id), (action._name, action.id))
        clock = action.supplier_deadline_id
        self.assertEqual((clock.status, clock.done_date), ("met", datetime(2026, 3, 5, 14, 0)))
        note = action.message_ids.filtered(lambda m: "night shift" in (m.body or ""))
        self.assertEqual(note.author_id, self.vendor_contact)
        self.assertEqual(note.attachment_ids, evidence)
        review = self.activities(action, REVIEW)
        self.assertEqual(review.user_id, self.officer, "the action's owner reviews it")
        with self.assertRaisesRegex(UserError, "answer is not accepted yet"):
            action.with_user(self.officer).action_done()

        with self.assertRaises(AccessError):
            action.with_user(self.cs_user).action_accept_supplier_answer()
        action.with_user(self.buyer).action_accept_supplier_answer()
        self.assertEqual(action.supplier_state, "accepted")
        self.assertEqual(action.supplier_reviewed_by_id, self.buyer)
        self.assertFalse(self.activities(action, REVIEW), "the review is done")
        with self.assertRaisesRegex(UserError, "no supplier answer to review"):
            action.with_user(self.buyer).action_accept_supplier_answer()
        action.with_user(self.officer).action_done()
        self.assertEqual(action.state, "done")

    def test_rejected_answer_goes_back_to_the_supplier_with_the_reason(self):
        action = self.requested_action()
        self.answer(action)
        wizard_action = action.with_user(self.buyer).action_reject_supplier_answer()
        Wizard = self.env[wizard_action["res_model"]].with_user(self.buyer)
        wizard = Wizard.with_context(**wizard_action["context"]).create({"reason": "  "})
        with self.assertRaisesRegex(UserError, "Say why the answer is rejected"):
            wizard.action_reject()
        self.assertEqual(action.supplier_state, "answered")

        with freeze_time("2026-03-06 10:00:00"):
            wizard.reason = "The root cause stops at the night shift: why was the test skippable?"
            wizard.action_reject()
        self.assertEqual(action.supplier_state, "rejected")
        self.assertEqual(action.supplier_reviewed_by_id, self.buyer)
        self.assertIn("why was the test skippable", action.supplier_reject_reason)
        mail = self.mails_to(action, self.vendor_contact, "is not accepted")
        self.assertEqual(len(mail), 1)
        self.assertIn("why was the test skippable", mail.body)
        self.assertIn(f"access_token={action.access_token}", mail.body)
        clock = action.supplier_deadline_id
        self.assertEqual(clock.deadline, datetime(2026, 3, 13, 10, 0), "a new answer is due")
        self.assertFalse(clock.done_date)
        self.assertEqual(action.supplier_answer_due, fields.Date.to_date("2026-03-13"))
        self.assertFalse(self.activities(action, REVIEW))

        self.answer(action, root_cause="The test bench could be bypassed; now interlocked.")
        self.assertEqual(action.supplier_state, "answered")
        self.assertIn("interlocked", action.supplier_root_cause)
        action.with_user(self.buyer).action_reject_supplier_answer()
        action.with_user(self.buyer)._qca_supplier_reject("Send the interlock test report.")
        with freeze_time("2026-03-07 10:00:00"):
            action.with_user(self.officer).action_send_supplier_request()
        self.assertEqual(action.supplier_state, "requested", "sent again after a rejection")
        self.assertEqual(action.supplier_deadline_id.deadline, datetime(2026, 3, 14, 10, 0))
        self.assertEqual(
            len(self.mails_to(action, self.vendor_contact, "corrective action request")), 2
        )

    def test_overdue_answer_reminds_the_supplier_and_alerts_purchasing_once(self):
        action = self.requested_action()
        Deadline = self.env["quality.complaint.deadline"]
        with freeze_time("2026-03-09 08:59:00"):
            Deadline._cron_check()
        self.assertFalse(self.mails_to(action, self.vendor_contact, "reminder"), "not due yet")
        for moment in ("2026-03-09 09:30:00", "2026-03-09 10:00:00", "2026-03-12 10:00:00"):
            with freeze_time(moment):
                Deadline._cron_check()
        self.assertEqual(action.supplier_deadline_id.status, "breached")
        with freeze_time("2026-03-12 10:00:00"):
            action.invalidate_recordset(["supplier_answer_late"])
            self.assertTrue(action.supplier_answer_late)
            self.assertIn(action, self.Action.search([("supplier_answer_due", "<", "2026-03-12")]))
        reminder = self.mails_to(action, self.vendor_contact, "reminder")
        self.assertEqual(len(reminder), 1, "reminded once")
        self.assertIn(f"access_token={action.access_token}", reminder.body)
        alert = self.overdue_digests()
        self.assertEqual(alert.user_id, self.purchase_manager, "one digest, for Pia")
        self.assertEqual(alert.summary, "Supplier answers overdue: 1")
        self.assertIn(action.name, alert.note)
        self.assertIn("due on 2026-03-09, 0 days late", alert.note)
        self.assertEqual(action.supplier_reminded_date.date().isoformat(), "2026-03-09")
        self.assertFalse(action.supplier_reminder_carrier_id, "the reminder is in its chatter")
        self.assertFalse(
            action.message_ids.filtered(lambda m: "is overdue" in (m.body or "")),
            "reminded: the reminder itself is the trace, no note besides",
        )

        # A late answer, rejected: a new overdue period, reminded once more.
        with freeze_time("2026-03-12 11:00:00"):
            self.answer(action, planned_date="2026-04-30")
            action.with_user(self.buyer)._qca_supplier_reject("Send the test report.")
        for moment in ("2026-03-19 12:00:00", "2026-03-20 12:00:00"):
            with freeze_time(moment):
                Deadline._cron_check()
        self.assertEqual(len(self.mails_to(action, self.vendor_contact, "reminder")), 2)
        again = self.overdue_digests()
        self.assertEqual(len(again), 1, "still one digest for Pia")
        self.assertIn("due on 2026-03-19", again.note)

    def test_overdue_answer_of_a_contact_without_e_mail_is_said_on_the_action(self):
        action = self.requested_action()
        self.vendor_contact.email = False
        with freeze_time("2026-03-12 10:00:00"):
            self.env["quality.complaint.deadline"]._cron_check()
        self.assertFalse(self.mails_to(action, self.vendor_contact, "reminder"))
        self.assertFalse(action.supplier_reminded_date, "nobody was reminded")
        notes = action.message_ids.filtered(lambda m: "is overdue" in (m.body or ""))
        self.assertEqual(len(notes), 1, "a note for somebody to follow it up by hand")
        self.assertIn("the supplier contact has no e-mail and is not reminded", notes.body)
        self.assertIn("Pia Purchase alerted", notes.body)
        self.assertIn(action.name, self.overdue_digests().note)

    def test_overdue_without_purchasing_manager_alerts_the_purchase_managers(self):
        self.company.qc_purchase_manager_id = False
        action = self.requested_action()
        with freeze_time("2026-03-10 09:00:00"):
            self.env["quality.complaint.deadline"]._cron_check()
        self.assertIn(self.purchase_manager, self.overdue_digests().user_id)
        self.assertNotIn(self.buyer, self.overdue_digests().user_id)
        self.assertIn(action.name, self.overdue_digests(self.purchase_manager).note)

    def test_cancelled_action_is_not_chased(self):
        action = self.requested_action()
        action.with_user(self.officer).action_cancel()
        with freeze_time("2026-03-10 09:00:00"):
            self.env["quality.complaint.deadline"]._cron_check()
        self.assertFalse(self.mails_to(action, self.vendor_contact, "reminder"))
        self.assertFalse(self.overdue_digests())

    def test_portal_supplier_sees_only_the_requests_to_its_company(self):
        mine = self.requested_action()
        not_sent = self.supplier_action(title="Review the gasket drawing")
        theirs = self.requested_action(partner_id=self.vendor_two.id, title="Seal hardness")
        _user, other_company = other_company_user(
            self.env, "qc_officer_elsewhere", "quality_complaint.group_complaint_officer"
        )
        elsewhere = self.Action.create(
            {
                "title": "Seal colour",
                "company_id": other_company.id,
                "partner_id": self.vendor_two.id,
                "user_id": False,
            }
        )
        elsewhere.action_send_supplier_request()
        every = mine | not_sent | theirs | elsewhere
        Action = self.Action.with_user(self.supplier_user)
        self.assertEqual(Action.search([("id", "in", every.ids)]), mine)
        self.assertEqual(
            self.Action.with_user(self.supplier_two_user).search([("id", "in", every.ids)]), theirs
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.supplier_user).read(["title"])
        with self.assertRaises(AccessError):
            mine.with_user(self.supplier_user).write({"title": "Done, trust us"})

    def test_bad_answers_change_nothing(self):
        action = self.requested_action()
        cases = [
            (AccessError, "not addressed to your company", {"user": self.supplier_two_user}),
            (UserError, "2026-03-01 is in the past", {"planned_date": "2026-03-01"}),
            (UserError, "Please give the root cause on your side", {"root_cause": "  "}),
            (UserError, "the corrective action", {"corrective_action": ""}),
            (UserError, "is not a date", {"planned_date": "next spring"}),
        ]
        for error, message, overrides in cases:
            with self.subTest(message), self.assertRaisesRegex(error, message):
                self.answer(action, **overrides)
            self.assertEqual(action.supplier_state, "requested")
            self.assertFalse(action.supplier_root_cause)
            self.assertFalse(action.supplier_evidence_ids)
            self.assertFalse(action.supplier_deadline_id.done_date)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", action._name), ("res_id", "=", action.id)]
            )
        )
        # Another supplier's portal user cannot even read it.
        with self.assertRaises(AccessError):
            action.with_user(self.supplier_two_user)._qca_supplier_answer(self.answer_values())
        self.answer(action)
        with self.assertRaisesRegex(UserError, "already received"):
            self.answer(action, root_cause="Changed my mind")
        self.assertEqual(
            action.supplier_root_cause, "The thickness test was skipped on the night shift."
        )
        with self.assertRaises(AccessError):
            action.with_user(self.buyer).write({"supplier_root_cause": "Softened by the buyer"})

    def test_purchasing_sees_the_open_actions_of_a_vendor(self):
        first = self.requested_action()
        self.supplier_action(title="Review the gasket drawing")
        closed = self.supplier_action(title="Old one")
        closed.action_cancel()
        self.requested_action(partner_id=self.vendor_two.id, title="Seal hardness")
        vendor = self.vendor.with_user(self.buyer)
        self.assertEqual(vendor.qc_supplier_action_count, 2)
        self.assertEqual(self.vendor_contact.with_user(self.buyer).qc_supplier_action_count, 2)
        window = vendor.action_view_qc_supplier_actions()
        self.assertEqual(
            self.Action.with_user(self.buyer).search(window["domain"]).mapped("partner_id"),
            self.vendor,
        )
        self.assertEqual(len(self.Action.with_user(self.buyer).search(window["domain"])), 2)

        order = (
            self.env["purchase.order"]
            .with_user(self.buyer)
            .create({"partner_id": self.vendor_contact.id})
        )
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.qc_supplier_action_count, 2)
        self.assertIn(first, self.Action.search(order.action_view_qc_supplier_actions()["domain"]))
        # Someone without access to corrective actions sees no count, and no error.
        clerk = new_test_user(self.env, login="qc_clerk", groups="base.group_user")
        self.assertEqual(self.vendor.with_user(clerk).qc_supplier_action_count, 0)
