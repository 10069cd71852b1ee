from odoo.addons.quality_complaint.tests.common_mail_down import MailServerDownMixin
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_feedback import FeedbackCase

RESULT_SUBJECT = "what we did about"
RETRIED_LOGGER = "odoo.addons.quality_complaint.models.mail_mail"


@tagged("post_install", "-at_install")
class TestResultMailDown(MailServerDownMixin, FeedbackCase):
    """The mail server is down when customer service sends the result of the
    remedies: the e-mail is kept, shown as not yet sent, and goes out once the
    server is back; the feedback says the result was sent, not that it arrived."""

    @mute_logger(RETRIED_LOGGER)
    def test_result_waits_for_the_server_and_goes_out_once(self):
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        sent_at = self.at(0, 10)
        with self.mail_server_down():
            result = self.send_result(ticket, sent_at)
            self.run_scheduled_notifications(self.later(sent_at, 1), result)
        self.assertEqual(len(result), 1)
        self.assertEqual(ticket.qc_feedback_state, "sent")
        self.assertEqual(ticket.qc_feedback_sent_date, sent_at)
        self.assertIn("queued", ticket._fields["qc_feedback_sent_date"].help)
        self.assert_queued_not_delivered(result, self.alice)
        self.assertFalse(self.deliveries_to(self.alice.email, RESULT_SUBJECT))

        with self.mail_server_down():
            self.run_mail_queue(self.later(sent_at, 10))
        self.assert_queued_not_delivered(result, self.alice)

        with self.mail_server_up():
            self.run_mail_queue(self.later(sent_at, 30))
            self.run_mail_queue(self.later(sent_at, 90))
        self.assert_delivered_once(result, self.alice, RESULT_SUBJECT)
        self.assertEqual(
            len(ticket.message_ids.filtered(lambda m: RESULT_SUBJECT in (m.subject or ""))),
            1,
            "one result message in the chatter",
        )
