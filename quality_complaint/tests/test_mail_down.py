from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.mail_mail import SMTP_RETRY_FOR
from .common import QualityComplaintCase
from .common_mail_down import MailServerDownMixin

ACK_SUBJECT = "has been received"
RETRIED_LOGGER = "odoo.addons.quality_complaint.models.mail_mail"


@tagged("post_install", "-at_install")
class TestAcknowledgementMailDown(MailServerDownMixin, QualityComplaintCase):
    """The mail server is down when the customer's 'complaint received' e-mail is
    due: it is kept, shown as not yet sent, and goes out once the server is back."""

    def registered(self):
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        ticket.with_user(self.cs_user).action_register_complaint()
        return ticket

    def ack(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and ACK_SUBJECT in (m.subject or "")
        )

    @mute_logger(RETRIED_LOGGER)
    def test_acknowledgement_waits_for_the_server_and_goes_out_once(self):
        ticket = self.registered()
        now = fields.Datetime.now()
        with self.mail_server_down():
            self.assertEqual(self.send_customer_messages(), 1, "the cron does not crash")
            ack = self.ack(ticket)
            self.run_scheduled_notifications(self.later(now, 1), ack)
        self.assertEqual(len(ack), 1)
        self.assertFalse(ticket.qc_messages_due, "posted once, not posted again")
        self.assertTrue(ticket.ack_sent_date)
        self.assertIn("queued", ticket._fields["ack_sent_date"].help, "says queued, not delivered")
        self.assert_queued_not_delivered(ack, self.alice)
        self.assertFalse(self.deliveries_to(self.alice.email, ACK_SUBJECT))

        # Still down at the next runs of the queue: still waiting, nothing lost.
        with self.mail_server_down():
            self.run_mail_queue(self.later(now, 10))
            self.send_customer_messages()
        self.assertEqual(len(self.ack(ticket)), 1, "the cron does not acknowledge twice")
        self.assert_queued_not_delivered(ack, self.alice)

        with self.mail_server_up():
            self.run_mail_queue(self.later(now, 4))
            self.assertFalse(self.deliveries_to(self.alice.email, ACK_SUBJECT), "not yet due")
            self.run_mail_queue(self.later(now, 20))
            self.run_mail_queue(self.later(now, 40))
            self.send_customer_messages()
        self.assert_delivered_once(ack, self.alice, ACK_SUBJECT)

    @mute_logger(RETRIED_LOGGER)
    def test_server_down_for_days_leaves_the_failure_to_retry_by_hand(self):
        """Retried for SMTP_RETRY_FOR, then failed in the chatter, as Odoo leaves
        it, for someone to retry."""
        ticket = self.registered()
        now = fields.Datetime.now()
        with self.mail_server_down():
            self.send_customer_messages()
            self.run_scheduled_notifications(self.later(now, 1), self.ack(ticket))
            mail = self.assert_queued_not_delivered(self.ack(ticket), self.alice)
            later = now + SMTP_RETRY_FOR
            self.run_mail_queue(self.later(later, 10))
        self.assertEqual(mail.state, "exception")
        notification = self.email_notifications(self.ack(ticket), self.alice)
        self.assertEqual(notification.notification_status, "exception")
        self.assertEqual(notification.failure_type, "mail_smtp")
        self.ack(ticket).invalidate_recordset(["has_error"])
        self.assertTrue(self.ack(ticket).has_error, "the chatter shows the failure")
        mail.action_retry()
        with self.mail_server_up():
            self.run_mail_queue(self.later(later, 20))
        self.assert_delivered_once(self.ack(ticket), self.alice, ACK_SUBJECT)

    def test_other_documents_keep_odoos_behaviour(self):
        """Only the complaint documents' e-mails are queued again."""
        message = self.alice.message_post(
            body="Hello", partner_ids=self.bob.ids, message_type="comment"
        )
        with self.mail_server_down():
            self.env["mail.mail"].search([("mail_message_id", "=", message.id)]).send()
        notification = self.email_notifications(message, self.bob)
        self.assertEqual(notification.notification_status, "exception")
        self.assertEqual(notification.mail_mail_id.state, "exception")
