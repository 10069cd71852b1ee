"""The e-mails of the complaint process outlive a mail server that is down.

When Odoo cannot connect to the mail server, it marks every e-mail of the batch
as failed (state 'exception', failure type 'mail_smtp') and its queue never takes
a failed e-mail again: the customer's acknowledgement, the result of the remedies
or a supplier's reminder would wait for someone to press *Retry*. The e-mails of
the complaint's documents (the records with deadlines: complaints, corrective
actions) go back to the queue instead, a few minutes later, and their recipients
are shown as still to be sent, not as reached nor as failed. After
``SMTP_RETRY_FOR`` they stay failed, in the chatter, as Odoo leaves them.
"""

import logging
from datetime import timedelta

from odoo import fields, models

_logger = logging.getLogger(__name__)

SMTP_RETRY_DELAY = timedelta(minutes=5)
SMTP_RETRY_FOR = timedelta(days=2)


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, success_emails, failure_reason=False, failure_type=None
    ):
        retry = self.browse()
        if failure_type == "mail_smtp":
            retry = self._qc_retryable_after_smtp_failure()
        result = super()._postprocess_sent_message(
            success_pids, success_emails, failure_reason=failure_reason, failure_type=failure_type
        )
        if retry:
            retry._qc_requeue()
        return result

    def _qc_retryable_after_smtp_failure(self):
        """The e-mails of complaint documents the mail server could not take, still
        within the retry period from their message's date."""
        owner = self.pool["quality.complaint.deadline.mixin"]
        oldest = fields.Datetime.now() - SMTP_RETRY_FOR
        return self.filtered(
            lambda mail: (
                mail.state == "exception"
                and mail.model in self.pool
                and issubclass(self.pool[mail.model], owner)
                and (mail.date or mail.create_date or fields.Datetime.now()) >= oldest
            )
        )

    def _qc_requeue(self):
        """Back to the queue for a later run of Odoo's e-mail queue; the recipients
        are still to be sent."""
        retry_at = fields.Datetime.now() + SMTP_RETRY_DELAY
        self.sudo().write({"state": "outgoing", "scheduled_date": retry_at})
        notifications = (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_mail_id", "in", self.ids),
                    ("notification_status", "=", "exception"),
                    ("failure_type", "=", "mail_smtp"),
                ]
            )
        )
        notifications.write(
            {"notification_status": "ready", "failure_type": False, "failure_reason": False}
        )
        notifications.mail_message_id._notify_message_notification_update()
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger(retry_at)
        _logger.warning(
            "The mail server could not be reached: %s e-mail(s) of complaint documents "
            "are queued again for %s.",
            len(self),
            retry_at,
        )
