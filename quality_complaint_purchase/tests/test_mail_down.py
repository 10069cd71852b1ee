from freezegun import freeze_time

from odoo.addons.quality_complaint.tests.common_mail_down import MailServerDownMixin
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_supplier import SupplierActionCase

RETRIED_LOGGER = "odoo.addons.quality_complaint.models.mail_mail"


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestSupplierReminderMailDown(MailServerDownMixin, SupplierActionCase):
    """The mail server is down when the deadline cron reminds a late supplier:
    the reminder is kept, shown as not yet sent, goes out once the server is
    back, and the next runs of the cron do not remind again."""

    @mute_logger(RETRIED_LOGGER)
    def test_reminder_waits_for_the_server_and_goes_out_once(self):
        with self.mail_server_up():
            action = self.requested_action()
        self.deliveries.clear()
        Deadline = self.env["quality.complaint.deadline"]
        with self.mail_server_down():
            with freeze_time("2026-03-09 09:30:00"):
                Deadline._cron_check()
            reminder = self.mails_to(action, self.vendor_contact, "reminder")
            self.run_scheduled_notifications("2026-03-09 09:31:00", reminder)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(action.supplier_deadline_id.status, "breached")
        self.assertEqual(len(self.overdue_digests(self.purchase_manager)), 1)
        self.assert_queued_not_delivered(reminder, self.vendor_contact)
        self.assertFalse(self.deliveries_to(self.vendor_contact.email, "reminder"))

        with self.mail_server_down():
            for moment in ("2026-03-09 09:45:00", "2026-03-09 10:00:00"):
                with freeze_time(moment):
                    Deadline._cron_check()
                self.run_mail_queue(moment)
        self.assert_queued_not_delivered(reminder, self.vendor_contact)

        with self.mail_server_up():
            self.run_mail_queue("2026-03-09 11:00:00")
            with freeze_time("2026-03-09 11:05:00"):
                Deadline._cron_check()
            self.run_mail_queue("2026-03-09 12:00:00")
        self.assertEqual(len(self.mails_to(action, self.vendor_contact, "reminder")), 1)
        self.assert_delivered_once(reminder, self.vendor_contact, "reminder")
        self.assertEqual(
            len(self.overdue_digests(self.purchase_manager)), 1, "purchasing alerted once"
        )
