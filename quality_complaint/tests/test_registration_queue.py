from unittest.mock import patch

from odoo.tests import tagged

from .common_sla import ComplaintGradingCase


@tagged("post_install", "-at_install")
class TestRegistrationQueue(ComplaintGradingCase):
    """The agent who registers a complaint does not wait on the mail server: the
    assignee's notice of new complaints goes through the mail queue, as the
    customer's acknowledgement does."""

    def test_assignee_notice_is_queued_not_sent_in_the_request(self):
        (self.manager | self.supervisor).notification_type = "email"
        MailMail = type(self.env["mail.mail"])
        sent = []
        original = MailMail.send

        def send(mails, *args, **kwargs):
            sent.append(mails.mapped("subject"))
            return original(mails, *args, **kwargs)

        queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search([("cron_id", "=", queue.id)])
        with patch.object(MailMail, "send", send):
            ticket = self.register(impact_level="safety")
        self.assertIn(ticket.user_id, self.manager | self.supervisor)
        self.assertFalse(sent, "registering sends no e-mail itself: the mail queue does")
        notice = self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", ticket.user_id.partner_id.ids),
                ("subject", "ilike", "complaint(s) to contact"),
            ]
        )
        self.assertEqual(len(notice), 1, "one notice for the assignee, in the queue")
        self.assertEqual(notice.state, "outgoing")
        self.assertTrue(
            Trigger.search([("cron_id", "=", queue.id)]) - before,
            "the mail queue is woken for the notice, not left to its hourly run",
        )
