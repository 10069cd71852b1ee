"""What the customer hears (docs/process.md §1, §2): the acknowledgement of the complaint and
the grade's response time, queued by registration and grading, then rendered in
batch per template and language and posted by a triggered cron, each once."""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

CUSTOMER_MESSAGE_BATCH = 200


class QualityComplaintTicketCustomerMessages(models.AbstractModel):
    """Customer-message concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.customer.messages"
    _description = "Complaint messages to the customer"

    qc_messages_due = fields.Boolean(
        string="Customer messages to send",
        copy=False,
        readonly=True,
        groups="base.group_user",
        help="The acknowledgement or the grade's message is queued for the customer "
        "(sent by the cron 'Quality complaints: customer messages' within seconds).",
    )
    ack_sent_date = fields.Datetime(
        string="Acknowledged on",
        copy=False,
        readonly=True,
        help="When the 'complaint received' e-mail went to the customer.",
    )
    qc_contact_promise_text = fields.Char(
        string="Contact promise",
        compute="_compute_qc_contact_promise_text",
        groups="base.group_user",
        help="What the customer is promised: the grade's response time, or the "
        "company's first-contact promise while the complaint has no grade.",
    )
    grade_announced_id = fields.Many2one(
        "quality.complaint.grade",
        groups="base.group_user",
        string="Grade announced to the customer",
        readonly=True,
        copy=False,
    )

    @api.depends_context("lang")
    @api.depends("grade_id.response_hours", "company_id.qc_first_contact_hours")
    def _compute_qc_contact_promise_text(self):
        for ticket in self:
            if ticket.grade_id:
                ticket.qc_contact_promise_text = self.env._(
                    "%(time)s (working hours)", time=ticket.grade_id.response_time_text
                )
            else:
                company = ticket.company_id or self.env.company
                ticket.qc_contact_promise_text = self.env._(
                    "%s hours", company.qc_first_contact_hours
                )

    def _qc_acknowledgement_template(self):
        template = self.env.ref(
            "quality_complaint.mail_template_complaint_acknowledgement", raise_if_not_found=False
        )
        if not template:
            raise UserError(
                self.env._(
                    "The mail template 'Quality complaint: acknowledgement' was deleted: "
                    "restore it (update the Quality Complaints module) before registering "
                    "complaints, so that customers are acknowledged."
                )
            )
        return template

    # ------------------------------------------------------------ customer messages
    def _qc_queue_customer_messages(self):
        """Queue the customer's messages (acknowledgement, grade's response time)
        and wake their cron up: they are rendered and posted in batch, seconds
        later, off the user's request."""
        tickets = self.filtered(lambda t: t.partner_id and not t.qc_messages_due)
        if not tickets:
            return
        tickets.sudo().write({"qc_messages_due": True})
        self.env.ref("quality_complaint.ir_cron_customer_messages")._trigger()

    @api.model
    def _cron_send_customer_messages(self, batch_size=CUSTOMER_MESSAGE_BATCH):
        """Send the queued customer messages, each once, in batches; complaints
        another worker holds are left to it."""
        in_cron = bool(self.env.context.get("cron_id"))
        sent = 0
        while True:
            self.flush_model(["qc_messages_due"])
            rows = self.env.execute_query(
                SQL(
                    "SELECT id FROM helpdesk_ticket WHERE qc_messages_due ORDER BY id"
                    " LIMIT %s FOR UPDATE SKIP LOCKED",
                    batch_size,
                )
            )
            tickets = self.browse([row[0] for row in rows]).with_context(qc_auto_message=True)
            if not tickets:
                break
            acknowledged = tickets._qc_send_acknowledgement()
            (tickets - acknowledged)._qc_announce_grade()
            tickets.sudo().write({"qc_messages_due": False})
            sent += len(tickets)
            if in_cron and not self.env["ir.cron"]._commit_progress(len(tickets)):
                break
            if len(tickets) < batch_size:
                break
        return sent

    def _qc_send_acknowledgement(self):
        """Send the 'complaint received' e-mail, once per registered complaint, with
        the graded contact promise; returns the complaints acknowledged now."""
        pending = self.filtered(
            lambda t: t.complaint_state == "registered" and not t.ack_sent_date and t.partner_id
        )
        if not pending:
            return pending
        template = self._qc_acknowledgement_template()
        pending.with_context(qc_auto_message=True)._qc_post_template(template)
        pending.sudo().write({"ack_sent_date": fields.Datetime.now()})
        # The acknowledgement told the customer the grade's response time.
        pending._qc_mark_grade_announced()
        return pending

    def _qc_post_template(self, template):
        """Post ``template`` on every ticket as a message to its recipients, from
        who registered the complaint: rendered in batch, the e-mails queued a
        second later (``mail.template._qc_post_rendered``)."""
        template._qc_post_rendered(
            self.with_context(mail_post_autofollow_author_skip=True),
            lambda ticket, _rendered: {
                "author_id": (ticket.registered_by_id or self.env.user).partner_id.id
            },
        )

    def _qc_open_composer(self, template, **context):
        """Odoo's mail composer on the tickets with ``template``, to post a comment;
        ``context``: more keys for the composer (e.g. whom to call back on send)."""
        return {
            "type": "ir.actions.act_window",
            "name": template.name,
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_composition_mode": "comment",
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_subtype_xmlid": "mail.mt_comment",
                "default_message_type": "comment",
                **context,
            },
        }

    def _qc_announce_grade(self):
        """One short update when a regrade changes the promised response time.

        The acknowledgement already carried the first grade's promise; a new grade
        with the same response time says nothing. The messages are rendered in
        batch per template, each in the customer's language. A grade without a
        customer message is said in the chatter, never skipped silently.
        """
        tickets = self.filtered(
            lambda t: t.partner_id and t.ack_sent_date and t.grade_id != t.grade_announced_id
        )
        same_promise = tickets.filtered(
            lambda t: (
                t.grade_announced_id
                and t.grade_announced_id.response_hours == t.grade_id.response_hours
            )
        )
        silent = (tickets - same_promise).filtered(lambda t: not t.grade_id.mail_template_id)
        if silent:
            _logger.warning(
                "Grades %s have no customer message: complaints %s were not told their "
                "new response time.",
                silent.grade_id.mapped("name"),
                silent.mapped("number"),
            )
            silent._message_log_batch(
                {
                    ticket.id: self.env._(
                        "Grade %(grade)s has no customer message: the customer was not "
                        "told the response time. Set a mail template on the grade.",
                        grade=ticket.grade_id.name,
                    )
                    for ticket in silent
                }
            )
        to_tell = tickets - same_promise - silent
        for template in to_tell.grade_id.mail_template_id:
            batch = to_tell.filtered(lambda t, tpl=template: t.grade_id.mail_template_id == tpl)
            batch.with_context(qc_auto_message=True)._qc_post_template(template)
        tickets._qc_mark_grade_announced()

    def _qc_mark_grade_announced(self):
        for grade in self.grade_id:
            self.filtered(lambda t, g=grade: t.grade_id == g).sudo().write(
                {"grade_announced_id": grade.id}
            )
