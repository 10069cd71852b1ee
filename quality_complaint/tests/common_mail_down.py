"""The outgoing mail server down, then back, for the tests of the customer's and
the supplier's e-mails.

Down is a real one: the company's only mail server is a local port nobody
listens on, so the connection is refused as it is when the server is off. Back
is Odoo's SMTP client talking to a recording session instead of the network:
each e-mail handed over counts as one delivery. Sending is enabled (Odoo's
tests skip it) only inside ``mail_server_down`` / ``mail_server_up``.
"""

import smtplib
import socket
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields


def closed_local_port():
    """A local TCP port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingSMTP:
    """What ``smtplib.SMTP`` returns while the server is back: it takes the
    e-mails and writes down who they were delivered to."""

    def __init__(self, deliveries):
        self.deliveries = deliveries

    def set_debuglevel(self, level):
        return None

    def ehlo_or_helo_if_needed(self):
        return None

    def send_message(self, message, smtp_from, smtp_to_list):
        self.deliveries.append({"subject": str(message["Subject"]), "to": list(smtp_to_list)})

    def quit(self):
        return None


class MailServerDownMixin:
    """Mix before an Odoo test case: ``cls.mail_server`` is the company's only
    outgoing server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        MailServer = cls.env["ir.mail_server"].sudo()
        MailServer.search([]).active = False
        cls.mail_server = MailServer.create(
            {
                "name": "Company mail server",
                "smtp_host": "127.0.0.1",
                "smtp_port": closed_local_port(),
                "smtp_encryption": "none",
                "sequence": 1,
            }
        )

    def setUp(self):
        super().setUp()
        self.deliveries = []

    @contextmanager
    def sending_enabled(self):
        IrMailServer = type(self.env["ir.mail_server"])
        with patch.object(IrMailServer, "_disable_send", lambda _self: False):
            yield

    @contextmanager
    def mail_server_down(self):
        """Every connection to the mail server is refused."""
        with self.sending_enabled():
            yield

    @contextmanager
    def mail_server_up(self):
        """The mail server takes the e-mails; ``self.deliveries`` lists them."""
        with (
            self.sending_enabled(),
            patch.object(smtplib, "SMTP", lambda *args, **kwargs: RecordingSMTP(self.deliveries)),
        ):
            yield

    # ------------------------------------------------------------ Odoo's crons
    def run_scheduled_notifications(self, moment, messages):
        """Odoo's scheduled notifications of ``messages`` (posted for a second
        later) at ``moment``: their e-mails are created and sent at once."""
        with freeze_time(moment):
            self.assertTrue(
                self.env["mail.message.schedule"]._send_message_notifications(messages),
                "the messages were waiting for their notifications",
            )

    def run_mail_queue(self, moment):
        """Odoo's e-mail queue cron at ``moment``."""
        with freeze_time(moment):
            self.env["mail.mail"].process_email_queue()

    # ------------------------------------------------------------ what happened
    def email_notifications(self, messages, partner):
        """The e-mail notifications of ``messages`` to ``partner``."""
        return (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_message_id", "in", messages.ids),
                    ("res_partner_id", "=", partner.id),
                    ("notification_type", "=", "email"),
                ]
            )
        )

    def deliveries_to(self, email, subject):
        """The deliveries to ``email`` of e-mails whose subject has ``subject``."""
        return [
            delivery
            for delivery in self.deliveries
            if subject in delivery["subject"] and any(email in to for to in delivery["to"])
        ]

    def assert_queued_not_delivered(self, messages, partner):
        """The e-mail to ``partner`` waits in the queue: not lost, not failed for
        good, not shown as delivered."""
        notifications = self.email_notifications(messages, partner)
        self.assertEqual(len(notifications), len(messages), "one e-mail per message")
        self.assertEqual(set(notifications.mapped("notification_status")), {"ready"})
        mails = notifications.mail_mail_id
        self.assertEqual(len(mails), len(messages), "the e-mails are kept")
        self.assertEqual(set(mails.mapped("state")), {"outgoing"}, "the queue takes them again")
        messages.invalidate_recordset(["has_error"])
        self.assertFalse(any(messages.mapped("has_error")), "the chatter shows no failure")
        return mails

    def assert_delivered_once(self, messages, partner, subject):
        """Each of ``messages`` reached ``partner`` and every recipient of their
        address exactly once (another contact may share the address)."""
        notifications = self.email_notifications(messages, partner)
        self.assertEqual(set(notifications.mapped("notification_status")), {"sent"})
        same_address = (
            self.env["mail.notification"]
            .sudo()
            .search_count(
                [
                    ("mail_message_id", "in", messages.ids),
                    ("res_partner_id.email", "=", partner.email),
                    ("notification_type", "=", "email"),
                ]
            )
        )
        self.assertEqual(
            len(self.deliveries_to(partner.email, subject)), same_address, self.deliveries
        )

    @staticmethod
    def later(moment, minutes):
        return fields.Datetime.to_datetime(moment) + timedelta(minutes=minutes)
