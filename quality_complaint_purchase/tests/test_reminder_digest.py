"""Overdue supplier answers: one reminder e-mail per supplier contact per cron run."""

from freezegun import freeze_time

from odoo.tests import tagged

from .common_supplier import SupplierActionCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestReminderDigest(SupplierActionCase):
    """Sam (Kettle Parts Ltd) lets three requests go overdue, Sue (Seal Works) one."""

    def setUp(self):
        super().setUp()
        self.Deadline = self.env["quality.complaint.deadline"]
        self.first = self.requested_action(title="Gasket thickness")
        with freeze_time("2026-03-03 09:00:00"):
            self.second = self.requested_action(title="Gasket hardness")
            self.third = self.requested_action(title="Gasket colour")
        self.sams = self.first | self.second | self.third
        self.sues = self.requested_action(partner_id=self.vendor_two.id, title="Seal hardness")

    def reminders(self, actions, partner, word="reminder"):
        return actions.message_ids.filtered(
            lambda m: partner in m.partner_ids and word in (m.subject or "")
        )

    def run_cron(self, moment="2026-03-12 10:00:00", **kwargs):
        with freeze_time(moment):
            return self.Deadline._cron_check(**kwargs)

    def test_one_mail_per_contact_lists_all_its_overdue_requests(self):
        # Batches of 2 clocks: the four requests come in two batches, still one
        # e-mail per contact for the run.
        self.assertEqual(self.run_cron(batch_size=2), 4)
        for action in self.sams | self.sues:
            self.assertEqual(action.supplier_deadline_id.status, "breached")
        mail = self.reminders(self.sams, self.vendor_contact)
        self.assertEqual(len(mail), 1, "one reminder for Sam's three overdue requests")
        self.assertEqual(mail.res_id, self.first.id, "posted on the oldest overdue request")
        self.assertNotIn(self.vendor_two_contact, mail.partner_ids)
        for action in self.sams:
            self.assertIn(action.name, mail.body)
            self.assertIn(action.title, mail.body)
            self.assertIn(
                f"/my/supplier-actions/{action.id}?access_token={action.access_token}", mail.body
            )
        self.assertIn("03/09/2026", mail.body, "the first request's due date")
        self.assertIn("03/10/2026", mail.body, "the others' due date")
        self.assertLess(mail.body.index(self.first.name), mail.body.index(self.second.name))
        self.assertNotIn(self.sues.name, mail.body, "Sue's request is not Sam's business")
        # Sue, one overdue request: the reminder of that request.
        sue_mail = self.reminders(self.sams | self.sues, self.vendor_two_contact)
        self.assertEqual(len(sue_mail), 1)
        self.assertEqual(sue_mail.res_id, self.sues.id)
        self.assertIn(self.sues.name, sue_mail.subject)
        self.assertIn(f"access_token={self.sues.access_token}", sue_mail.body)

        # The e-mail really goes to Sam: Odoo's notification queue lays it out.
        schedules = (
            self.env["mail.message.schedule"].sudo().search([("mail_message_id", "=", mail.id)])
        )
        self.assertEqual(len(schedules), 1)
        schedules._send_notifications()
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", mail.id)])
        to_sam = mails.filtered(lambda m: self.vendor_contact in m.recipient_ids)
        self.assertEqual(len(to_sam), 1, "one e-mail to Sam")
        self.assertNotIn(self.vendor_two_contact, mails.recipient_ids)
        for action in self.sams:
            self.assertIn(action.name, str(to_sam.body_html))

        # Each late action says when and where it was reminded, without a chatter
        # post of its own; purchasing follows them all in one digest.
        digest = self.overdue_digests()
        self.assertEqual(digest.user_id, self.purchase_manager, "one activity, for Pia")
        self.assertEqual(digest.res_id, self.first.id, "on the oldest overdue request")
        for action in self.sams | self.sues:
            self.assertEqual(str(action.supplier_reminded_date), "2026-03-12 10:00:00")
            self.assertFalse(
                action.message_ids.filtered(lambda m: "is overdue" in (m.body or "")),
                "reminded: no note of its own",
            )
            self.assertIn(action.name, digest.note)
        self.assertFalse(self.first.supplier_reminder_carrier_id, "the e-mail is in its chatter")
        self.assertFalse(self.sues.supplier_reminder_carrier_id, "its own reminder")
        for action in self.second | self.third:
            self.assertEqual(action.supplier_reminder_carrier_id, self.first)
        self.assertFalse((self.sams | self.sues).filtered("supplier_reminder_due"))

        # The next runs send nothing more: each request is reminded once.
        messages = (self.sams | self.sues).message_ids
        self.assertEqual(self.run_cron("2026-03-12 11:00:00"), 0)
        self.assertEqual(self.run_cron("2026-03-14 10:00:00"), 0)
        self.assertEqual((self.sams | self.sues).message_ids, messages)
        self.assertEqual(self.overdue_digests(), digest)

    def test_only_the_requests_overdue_in_this_run_are_listed_again(self):
        with freeze_time("2026-03-05 09:00:00"):
            self.answer(self.third)
        self.run_cron()
        mail = self.reminders(self.sams, self.vendor_contact)
        self.assertEqual(len(mail), 1)
        self.assertNotIn(self.third.name, mail.body, "answered: not chased")
        self.assertNotIn(self.third.name, self.overdue_digests().note)
        # Answered late and rejected: a new overdue period, a new reminder of it alone.
        with freeze_time("2026-03-12 11:00:00"):
            self.answer(self.first, planned_date="2026-04-30")
            self.first.with_user(self.buyer)._qca_supplier_reject("Send the test report.")
        self.run_cron("2026-03-20 10:00:00")
        again = self.reminders(self.sams, self.vendor_contact) - mail
        self.assertEqual(len(again), 1)
        self.assertEqual(again.res_id, self.first.id)
        self.assertNotIn(self.second.name, again.body, "already reminded of")

    def test_queued_request_answered_before_the_reminder_is_not_chased(self):
        with freeze_time("2026-03-12 10:00:00"):
            clocks = self.sams.supplier_deadline_id
            self.sams._qc_deadline_escalate("supplier_answer", clocks)
            self.assertTrue(all(self.sams.mapped("supplier_reminder_due")))
            self.answer(self.first)
            self.Action._qca_supplier_remind()
        mail = self.reminders(self.sams, self.vendor_contact)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.res_id, self.second.id, "the oldest request still awaited")
        self.assertNotIn(self.first.name, mail.body)
        listed = self.overdue_digests().filtered(lambda a: self.first.name in a.note)
        self.assertFalse(listed)
        self.assertFalse(self.sams.filtered("supplier_reminder_due"))

    def test_reminder_is_in_the_contacts_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["quality_complaint_purchase"], ["zh_CN"])
        self.vendor_contact.lang = "zh_CN"
        self.run_cron()
        self.assertFalse(self.reminders(self.sams, self.vendor_contact))
        mail = self.reminders(self.sams, self.vendor_contact, "提醒")
        self.assertEqual(len(mail), 1)
        self.assertIn("逾期", mail.subject)
        self.assertIn("以下纠正措施请求", mail.body)
        for action in self.sams:
            self.assertIn(action.name, mail.body)
        sue_mail = self.reminders(self.sues, self.vendor_two_contact)
        self.assertNotIn("逾期", sue_mail.subject, "Sue reads English")
