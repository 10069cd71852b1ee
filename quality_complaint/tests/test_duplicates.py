"""The same complaint twice: flagged at registration as a probable duplicate of
the first, then merged into it or confirmed different by customer service."""

import email
import email.policy
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import other_company_user
from .common_rpc import call_kw_message
from .common_sla import ComplaintGradingCase


class DuplicateCase(ComplaintGradingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bob_buyer = cls.env["res.partner"].create(
            {"name": "Bea of Bob Shop", "parent_id": cls.bob.id, "email": "bea@example.com"}
        )

    def bob_vals(self, **overrides):
        vals = {
            "partner_id": self.bob.id,
            "sale_order_id": self.order_bob.id,
            "lot_ids": [Command.set(self.lot_a.ids)],
        }
        vals.update(overrides)
        return vals

    def no_order_vals(self, **overrides):
        """Alice's lot A, without the order: only the lot can match."""
        vals = {
            "sale_order_id": False,
            "sale_line_id": False,
            "purchase_date": self.order_alice.date_order.date(),
        }
        vals.update(overrides)
        return vals


@tagged("post_install", "-at_install")
class TestDuplicateFlag(DuplicateCase):
    def test_same_order_line_is_flagged_with_a_link_to_the_first(self):
        first = self.register()
        second = self.register(name="Kettle leaks again")
        self.assertEqual(second.sale_line_id, first.sale_line_id)
        self.assertEqual(second.qc_duplicate_suspect_id, first)
        self.assertFalse(first.qc_duplicate_suspect_id, "the first is no duplicate")
        note = second.message_ids.filtered(lambda m: "Probable duplicate" in (m.body or ""))
        self.assertIn("same order line", note.body)
        self.assertIn(f'data-oe-id="{first.id}"', note.body)
        # a third links to the first, not to the second
        third = self.register(name="Third time")
        self.assertEqual(third.qc_duplicate_suspect_id, first)
        found = self.env["helpdesk.ticket"].search(
            [("qc_duplicate_suspect_id", "!=", False), ("duplicate_id", "=", False)]
        )
        self.assertEqual(found & (first | second | third), second | third, "the filter's domain")

    def test_same_lot_without_order_is_flagged(self):
        first = self.register()
        second = self.register(**self.no_order_vals())
        self.assertFalse(second.sale_line_id)
        self.assertEqual(second.qc_duplicate_suspect_id, first)
        note = second.message_ids.filtered(lambda m: "Probable duplicate" in (m.body or ""))
        self.assertIn("same lot", note.body)

    def test_contact_of_the_same_company_is_the_same_customer(self):
        first = self.register(**self.bob_vals())
        second = self.register(**self.bob_vals(partner_id=self.bob_buyer.id))
        self.assertEqual(second.qc_duplicate_suspect_id, first)

    def test_a_batch_costs_the_same_queries_as_two(self):
        first = self.register()
        used = {}
        for size in (2, 6):
            batch = self.env["helpdesk.ticket"].create(
                [self.complaint_vals() for _i in range(size)]
            )
            batch._qc_on_register()
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            batch._qc_flag_duplicates()
            self.env.flush_all()
            used[size] = self.env.cr.sql_log_count - before
            self.assertEqual(batch.qc_duplicate_suspect_id, first)
            self.assertEqual(len(batch.filtered("qc_duplicate_suspect_id")), size)
        self.assertEqual(used[6], used[2], "no query per complaint")

    def test_not_flagged_for_another_customer_outside_the_window_or_window_off(self):
        first = self.register()
        bobs = self.register(**self.bob_vals())
        self.assertFalse(bobs.qc_duplicate_suspect_id, "another customer, same lot")
        first.sudo().registered_date -= timedelta(days=15)
        late = self.register()
        self.assertFalse(late.qc_duplicate_suspect_id, "registered 15 days after, window 14")
        self.company.qc_duplicate_window_days = 0
        off = self.register()
        self.assertFalse(off.qc_duplicate_suspect_id, "window 0: no check")
        self.company.qc_duplicate_window_days = 30
        again = self.register()
        self.assertEqual(again.qc_duplicate_suspect_id, first, "the earliest within 30 days")

    def test_reply_in_the_email_thread_of_a_complaint_is_flagged(self):
        self.company.qc_duplicate_window_days = 0  # the thread counts whatever the window
        first = self.register()
        sent = first.message_post(body="We received your complaint.", message_type="comment")
        raw = (
            "From: Alice Buyer <alice@example.com>\r\n"
            "To: complaints@example.com\r\n"
            "Subject: Re: my kettle\r\n"
            "Message-Id: <alice-reply-1@example.com>\r\n"
            f"In-Reply-To: {sent.message_id}\r\n"
            f"References: <older@example.com> {sent.message_id}\r\n"
            "\r\n"
            "The kettle still leaks, see my last e-mail.\r\n"
        )
        message = email.message_from_string(raw, policy=email.policy.SMTP)
        Ticket = self.env["helpdesk.ticket"]
        msg_dict = Ticket.message_parse(message)
        ticket = Ticket.message_new(msg_dict, {"team_id": self.team.id})
        self.assertEqual(ticket.qc_thread_ticket_id, first)
        vals = self.complaint_vals()
        vals.pop("name")
        ticket.write(vals)
        ticket.action_register_complaint()
        self.assertEqual(ticket.qc_duplicate_suspect_id, first)
        note = ticket.message_ids.filtered(lambda m: "Probable duplicate" in (m.body or ""))
        self.assertIn("e-mail answers the thread", note.body)

    def test_the_flag_is_set_only_by_the_check(self):
        first = self.register()
        other = self.register(**self.bob_vals())
        with self.assertRaisesRegex(AccessError, "cannot be set directly"):
            other.with_user(self.cs_user).write({"qc_duplicate_suspect_id": first.id})

    def test_a_closed_complaint_is_no_first(self):
        """The first was withdrawn or closed: a new complaint on the same line is
        the customer's open problem, not a duplicate to merge away."""
        first = self.register()
        first._qc_cancel("The customer withdrew it.")
        self.assertTrue(first.stage_id.closed)
        second = self.register(name="Kettle leaks again")
        self.assertFalse(second.qc_duplicate_suspect_id)
        second.sudo().qc_duplicate_suspect_id = first
        with self.assertRaisesRegex(UserError, "is closed"):
            second.with_user(self.cs_user).action_qc_merge_duplicate()
        self.assertFalse(second.duplicate_id)

    def test_duplicate_of_is_set_only_by_the_merge(self):
        """helpdesk_mgmt's Duplicate of takes a complaint out of the reports: a
        user may not set it by hand (form, wizard or RPC), only Merge does."""
        first = self.register()
        other = self.register(**self.bob_vals())
        with self.assertRaisesRegex(AccessError, "only with Merge into the First"):
            other.with_user(self.cs_user).write({"duplicate_id": first.id})
        self.assertFalse(other.duplicate_id)

    def test_thread_is_kept_only_by_the_mail_gateway(self):
        """message_new called over RPC, naming another complaint's Message-Id,
        does not tie the new ticket to that complaint's thread."""
        first = self.register()
        sent = first.message_post(body="We received your complaint.", message_type="comment")
        Ticket = self.env["helpdesk.ticket"].with_user(self.cs_user)
        ticket = Ticket.message_new(
            {
                "subject": "Re: my kettle",
                "body": "<p>Still leaking.</p>",
                "references": sent.message_id,
                "in_reply_to": sent.message_id,
                "email_from": "alice@example.com",
                "author_id": self.alice.id,
            },
            {"team_id": self.team.id},
        )
        self.assertFalse(ticket.sudo().qc_thread_ticket_id)

    def test_settings_page_edits_the_window(self):
        self.assertEqual(self.company.qc_duplicate_window_days, 14, "the default")
        settings = Form(self.env["res.config.settings"])
        settings.qc_duplicate_window_days = 30
        settings.save().execute()
        self.assertEqual(self.company.qc_duplicate_window_days, 30)
        with self.assertRaises(ValidationError):
            self.company.qc_duplicate_window_days = -1


@tagged("post_install", "-at_install")
class TestDuplicateDecision(DuplicateCase):
    def flagged_pair(self):
        first = self.register()
        second = self.register(name="Kettle leaks, second mail")
        self.assertEqual(second.qc_duplicate_suspect_id, first)
        return first, second

    def test_merge_moves_messages_and_evidence_and_closes_as_duplicate(self):
        first, second = self.flagged_pair()
        photo = self.env["ir.attachment"].create(
            {
                "name": "seam.jpg",
                "raw": b"\xff\xd8\xff photo",
                "res_model": "helpdesk.ticket",
                "res_id": second.id,
            }
        )
        said = second.message_post(
            body="Photo from below the base.",
            message_type="comment",
            attachment_ids=photo.ids,
        )
        evidence_before = first.evidence_count
        action = second.with_user(self.cs_user).action_qc_merge_duplicate()
        self.assertEqual(action["res_id"], first.id, "the first complaint opens")
        self.env.invalidate_all()
        self.assertEqual(said.res_id, first.id)
        self.assertIn(said, first.message_ids)
        self.assertEqual(photo.res_id, first.id)
        self.assertEqual(first.evidence_count, evidence_before + 1)
        self.assertEqual(second.duplicate_id, first, "helpdesk_mgmt's Duplicate of")
        self.assertTrue(second.stage_id.closed and second.stage_id.qc_cancels)
        self.assertIn("Duplicate of", second.qc_cancel_reason)
        self.assertTrue(
            second.message_ids.filtered(lambda m: "Merged into" in (m.body or "")),
            "the duplicate's chatter says it",
        )
        self.assertTrue(
            first.message_ids.filtered(lambda m: "merged into this complaint" in (m.body or "")),
            "the first's chatter says it",
        )
        self.assertFalse(first.stage_id.closed, "the first stays open")
        with self.assertRaisesRegex(UserError, "already merged"):
            second.with_user(self.cs_user).action_qc_merge_duplicate()
        with self.assertRaisesRegex(UserError, "already merged"):
            second.with_user(self.cs_user).action_qc_not_duplicate()

    def test_merge_refused_into_itself_another_customer_or_a_merged_one(self):
        first, second = self.flagged_pair()
        bobs = self.register(**self.bob_vals())
        second.sudo().qc_duplicate_suspect_id = second
        with self.assertRaisesRegex(UserError, "into itself"):
            second.with_user(self.cs_user).action_qc_merge_duplicate()
        second.sudo().qc_duplicate_suspect_id = bobs
        with self.assertRaisesRegex(UserError, "same customer"):
            second.with_user(self.cs_user).action_qc_merge_duplicate()
        first.sudo().duplicate_id = bobs
        second.sudo().qc_duplicate_suspect_id = first
        with self.assertRaisesRegex(UserError, "itself a duplicate"):
            second.with_user(self.cs_user).action_qc_merge_duplicate()
        self.assertFalse(second.duplicate_id)
        self.assertFalse(second.stage_id.closed, "nothing changed")

    def test_a_merged_duplicate_counts_once_towards_a_batch_defect(self):
        """Alice complains twice about the same 4 kettles: merged, they are 4
        units of lot A, and Bob's 4 more make 8, below the batch threshold of 10."""
        first = self.register(impact_level="cosmetic", affected_qty=4)
        second = self.register(
            name="Kettle leaks, second mail", impact_level="cosmetic", affected_qty=4
        )
        self.assertEqual(second.qc_duplicate_suspect_id, first)
        second.with_user(self.cs_user).action_qc_merge_duplicate()
        bobs = self.register(**self.bob_vals(impact_level="cosmetic", affected_qty=4))
        self.assertNotEqual(bobs.grade_id, self.urgent)
        self.assertNotIn("Batch defect", bobs.grade_reasons or "")

    def test_merge_refused_into_another_companys_complaint(self):
        _first, second = self.flagged_pair()
        _user, other = other_company_user(
            self.env, "qc_dup_other", "quality_complaint.group_complaint_user"
        )
        theirs = self.env["helpdesk.ticket"].create(
            {
                "name": "Alice at the other company",
                "description": "<p>Leaks</p>",
                "is_quality_complaint": True,
                "partner_id": self.alice.id,
                "company_id": other.id,
            }
        )
        second.sudo().qc_duplicate_suspect_id = theirs
        with self.assertRaises(AccessError):
            second.with_user(self.cs_user).action_qc_merge_duplicate()
        self.cs_user.company_ids |= other
        both = second.with_user(self.cs_user).with_context(
            allowed_company_ids=[self.company.id, other.id]
        )
        with self.assertRaisesRegex(UserError, "same customer and company"):
            both.action_qc_merge_duplicate()
        self.assertFalse(second.duplicate_id)

    def test_merge_needs_customer_service(self):
        _first, second = self.flagged_pair()
        employee = new_test_user(self.env, login="qc_dup_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            second.with_user(employee).action_qc_merge_duplicate()
        self.assertFalse(second.duplicate_id)

    def test_not_a_duplicate_is_kept_and_not_flagged_again(self):
        first, second = self.flagged_pair()
        second.with_user(self.cs_user).action_qc_not_duplicate()
        self.assertFalse(second.qc_duplicate_suspect_id)
        self.assertEqual(second.qc_not_duplicate_ids, first)
        self.assertTrue(
            second.message_ids.filtered(lambda m: "Not a duplicate of" in (m.body or ""))
        )
        # the lots change: checked again, the pair stays confirmed different
        second.write({"lot_ids": [Command.set(self.lot_a.ids)]})
        self.assertFalse(second.qc_duplicate_suspect_id)
        second._qc_flag_duplicates()
        self.assertFalse(second.qc_duplicate_suspect_id)
        # a new complaint about the same line is still flagged, to the first
        third = self.register()
        self.assertEqual(third.qc_duplicate_suspect_id, first)


@tagged("post_install", "-at_install")
class TestDuplicateOverRpc(HttpCase, DuplicateCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env,
            login="qc_dup_portal",
            password="qc_dup_portal",
            groups="base.group_portal",
            partner_id=cls.alice.id,
        )

    def test_portal_customer_cannot_merge_or_clear_the_flag(self):
        first = self.register()
        second = self.register()
        self.assertEqual(second.qc_duplicate_suspect_id, first)
        self.env.flush_all()
        self.authenticate(self.portal.login, "qc_dup_portal")
        for method in ("action_qc_merge_duplicate", "action_qc_not_duplicate"):
            _result, error = call_kw_message(self, "helpdesk.ticket", method, [second.ids])
            self.assertTrue(error, f"{method} refused to the portal")
        self.assertFalse(second.duplicate_id)
        self.assertEqual(second.qc_duplicate_suspect_id, first, "nothing changed")
        self.assertFalse(second.stage_id.closed)
