"""The complaint's customer messages also by SMS (docs/process.md §2, §5, §6).

What this addon adds to ``helpdesk.ticket``: after the acknowledgement, the new
response time of a regrade, the result of the remedies and the start of the
call-back, an SMS to the customer's mobile through Odoo's SMS queue, each kind
when the company enables it. A customer without a usable number gets no SMS:
Odoo records it failed and the chatter says why; the e-mail and the business
step are never undone by an SMS.
"""

import logging
import re
from datetime import timedelta

import pytz

from odoo import api, fields, models, tools
from odoo.addons.quality_complaint.lang import company_envs

_logger = logging.getLogger(__name__)

# kind: (company setting, sms.template)
SMS_KINDS = {
    "acknowledgement": (
        "qc_sms_acknowledgement",
        "quality_complaint_sms.sms_template_acknowledgement",
    ),
    "regrade": ("qc_sms_regrade", "quality_complaint_sms.sms_template_regrade"),
    "result": ("qc_sms_result", "quality_complaint_sms.sms_template_result"),
    "followup": ("qc_sms_followup", "quality_complaint_sms.sms_template_followup"),
    "followup_reminder": (
        "qc_sms_followup_reminder",
        "quality_complaint_sms.sms_template_followup_reminder",
    ),
}

# What may separate the digits of a number as people write it.
NUMBER_SEPARATORS = re.compile(r"[\s.\-/()]")
# E.164: a country code and a subscriber number of at most 15 digits in all; a
# national number has at least 7.
NUMBER_DIGITS = re.compile(r"\+?[0-9]{7,15}")
# The call-back reminders go in the daytime of the complaint desk: from 9:00 to 20:00.
REMINDER_HOURS = range(9, 20)


def sms_number_ok(number):
    """Whether ``number`` can be texted: 7 to 15 digits, an optional leading +,
    spaces, dots, dashes, slashes and brackets between them. Odoo checks numbers
    with the ``phonenumbers`` library when it is installed, and lets everything
    through without it."""
    return bool(number) and bool(NUMBER_DIGITS.fullmatch(NUMBER_SEPARATORS.sub("", number)))


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    qc_sms_result_text = fields.Char(
        string="Result for the SMS",
        compute="_compute_qc_sms_result_text",
        groups="base.group_user",
        help="The executed remedies of the current plan and their documents, as the "
        "result SMS tells the customer.",
    )
    qc_sms_followup_day = fields.Char(
        string="Call-back day for the SMS",
        compute="_compute_qc_sms_followup_day",
        groups="base.group_user",
        help="The call-back's due day, written in the reader's language.",
    )

    qc_sms_reminded_clock_id = fields.Many2one(
        "quality.complaint.deadline",
        string="Call-back reminder texted for",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The call-back whose reminder SMS the customer was sent: one reminder per call-back.",
    )

    @api.depends_context("lang")
    def _compute_qc_sms_result_text(self):
        for ticket in self:
            ticket.qc_sms_result_text = "; ".join(
                f"{name}: {info}" if info else name
                for name, info in ticket._qc_feedback_result_lines()
            )

    @api.depends_context("lang")
    @api.depends("qc_followup_due")
    def _compute_qc_sms_followup_day(self):
        for ticket in self:
            due = ticket.qc_followup_due
            ticket.qc_sms_followup_day = tools.format_date(self.env, due) if due else ""

    def _qc_protected(self):
        return super()._qc_protected() | {"qc_sms_reminded_clock_id"}

    # ------------------------------------------------------------ the messages
    def _qc_send_acknowledgement(self):
        acknowledged = super()._qc_send_acknowledgement()
        acknowledged._qc_sms_send("acknowledgement")
        return acknowledged

    def _qc_announce_grade(self):
        told = super()._qc_announce_grade()
        told._qc_sms_send("regrade")
        return told

    def _qc_result_sent(self):
        result = super()._qc_result_sent()
        self._qc_sms_send("result")
        return result

    def _qc_followup_start(self):
        # The call-back day is set here, once per handling: the customer is told
        # it then (its clock fires nothing on the day itself, only once overdue).
        result = super()._qc_followup_start()
        self._qc_sms_send("followup")
        return result

    @api.model
    def _cron_qc_sms_followup_reminders(self):
        """The call-back reminder: the customers whose call-back is due within the
        company's number of days (``qc_sms_followup_reminder_days``, 0: on the day
        itself) are texted once per call-back, in the daytime of the complaint desk
        (``REMINDER_HOURS``). A run the server missed is caught up until the
        call-back day is over; a call-back done or waived is not reminded, a
        restarted one is, before its own day. Runs hourly; running it twice texts
        nobody twice."""
        companies = self.env["res.company"].search([("qc_sms_followup_reminder", "=", True)])
        if not companies:
            return
        now = fields.Datetime.now()
        horizon = max(companies.mapped("qc_sms_followup_reminder_days")) + 2
        tickets = self.search(
            [
                ("company_id", "in", companies.ids),
                ("qc_followup_state", "=", "due"),
                ("qc_followup_deadline_id.deadline", ">", now),
                ("qc_followup_deadline_id.deadline", "<=", now + timedelta(days=horizon)),
            ]
        )
        due = self.browse()
        for ticket in tickets:
            if ticket.qc_sms_reminded_clock_id == ticket.qc_followup_deadline_id:
                continue
            local = pytz.utc.localize(now).astimezone(ticket._qc_followup_tz())
            if local.hour not in REMINDER_HOURS:
                continue
            today = local.date()
            days = ticket.company_id.qc_sms_followup_reminder_days
            if ticket.qc_followup_due - timedelta(days=days) <= today <= ticket.qc_followup_due:
                due |= ticket
        for ticket in due:
            ticket.sudo().qc_sms_reminded_clock_id = ticket.qc_followup_deadline_id
        due._qc_sms_send("followup_reminder")

    # ------------------------------------------------------------ sending
    def _qc_sms_kind_label(self, env, kind):
        return {
            "acknowledgement": env._("complaint received"),
            "regrade": env._("new response time"),
            "result": env._("result of the remedies"),
            "followup": env._("call-back day"),
            "followup_reminder": env._("call-back reminder"),
        }[kind]

    def _qc_sms_send(self, kind):
        """Queue the SMS ``kind`` (a key of ``SMS_KINDS``) to the customers of the
        complaints whose company enables it, rendered in batch in each customer's
        language. Called after the e-mail and the business step by the methods
        extended above (the callers checked the user's role): an SMS that fails
        is recorded failed and said in the chatter, never raised."""
        setting, xmlid = SMS_KINDS[kind]
        tickets = self.filtered(
            lambda t: t.partner_id and (t.company_id or self.env.company)[setting]
        )
        if not tickets:
            return
        # The customer messages are sent by crons, portal answers and customer
        # service alike: the SMS is the system's, like its e-mail.
        tickets = tickets.sudo().with_context(mail_post_autofollow_author_skip=True)
        envs = company_envs(self.env, tickets)
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            _logger.warning("SMS template %s was deleted: no SMS sent to %s", xmlid, tickets.ids)
            tickets._message_log_batch(
                {
                    ticket.id: envs[ticket.company_id]._(
                        "No SMS (%(kind)s) was sent: its SMS template was deleted. "
                        "Update the Quality Complaints - SMS module to restore it.",
                        kind=self._qc_sms_kind_label(envs[ticket.company_id], kind),
                    )
                    for ticket in tickets
                }
            )
            return
        try:
            with self.env.cr.savepoint():
                bodies = template.sudo()._render_field("body", tickets.ids, compute_lang=True)
                recipients = tickets._sms_get_recipients_info()
        except Exception:
            _logger.exception("SMS %s could not be rendered for complaints %s", kind, tickets.ids)
            tickets._message_log_batch(
                {
                    ticket.id: envs[ticket.company_id]._(
                        "No SMS (%(kind)s) was sent: its text could not be written. "
                        "Check the SMS template.",
                        kind=self._qc_sms_kind_label(envs[ticket.company_id], kind),
                    )
                    for ticket in tickets
                }
            )
            return
        failures = {}  # message id: failure_type
        notes = {}
        for ticket in tickets:
            env = envs[ticket.company_id]
            label = self._qc_sms_kind_label(env, kind)
            info = recipients[ticket.id]
            partner = info["partner"] or ticket.partner_id
            number = info["sanitized"] or info["number"]
            if not number:
                failure = "sms_number_missing"
            elif not info["sanitized"] or not sms_number_ok(info["sanitized"]):
                failure = "sms_number_format"
            else:
                failure = False
            try:
                with self.env.cr.savepoint():
                    message = ticket._message_sms(
                        bodies[ticket.id],
                        partner_ids=partner.ids,
                        sms_pid_to_number={partner.id: number} if number else {},
                        author_id=(ticket.registered_by_id or self.env.user).partner_id.id,
                        put_in_queue=True,
                    )
            except Exception:
                _logger.exception("SMS %s could not be queued for complaint %s", kind, ticket.id)
                notes[ticket.id] = env._(
                    "No SMS (%(kind)s) was sent to %(customer)s: it could not be queued.",
                    kind=label,
                    customer=partner.display_name,
                )
                continue
            if failure:
                failures[message.id] = failure
            if failure == "sms_number_missing":
                notes[ticket.id] = env._(
                    "No SMS (%(kind)s) was sent: %(customer)s has no mobile or phone "
                    "number. Add it on the contact.",
                    kind=label,
                    customer=partner.display_name,
                )
            elif failure:
                notes[ticket.id] = env._(
                    "No SMS (%(kind)s) was sent: %(number)s, the number of %(customer)s, "
                    "is not a valid phone number. Correct it on the contact.",
                    kind=label,
                    number=number,
                    customer=partner.display_name,
                )
        if failures:
            # Odoo's own failure: the SMS in error, its notification in exception.
            failed = self.env["sms.sms"].sudo().search([("mail_message_id", "in", list(failures))])
            for failure in set(failures.values()):
                failed.filtered(
                    lambda sms, f=failure: failures[sms.mail_message_id.id] == f
                ).action_set_error(failure)
            failed.mail_message_id._notify_message_notification_update()
        if notes:
            tickets.browse(list(notes))._message_log_batch(notes)
