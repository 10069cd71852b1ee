"""What the customer sees of their complaint on the portal (helpdesk_mgmt's
/my/ticket page): its progress in plain words, the contact time they were
promised, the remedies meant for them, whether they may add evidence or answer
the satisfaction question.

Everything here is read as the superuser and handed to the page as plain values
(``_qc_portal_values``): the page never reads the complaint's internal fields.

Only the complaint's own customer acts on it from the portal (``_qc_portal_customer``):
a portal user of the customer's commercial entity, or whoever holds the link of the
ticket in a public session; never a follower, an employee or a supplier who can read
the ticket. The files shown are those of the messages the customer sees and the
customer's own uploads (``_qc_portal_attachment_ids``): a portal user has no access
to ``ir.attachment`` and downloads a file only with the token the page shows.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import consteq, plaintext2html

# The customer's view of a case, in the order it flows.
PORTAL_STATUSES = [
    ("received", "Received"),
    ("investigating", "Being investigated"),
    ("remedy", "Remedy on its way"),
    ("feedback", "Awaiting your feedback"),
    ("closed", "Closed"),
]
PORTAL_STATUS_ORDER = {code: index for index, (code, _label) in enumerate(PORTAL_STATUSES)}
FEEDBACK_OPEN = ("due", "sent")
# The messages of a ticket its portal chatter shows (mail.thread's website_message_ids).
PORTAL_MESSAGE_TYPES = ("email", "comment", "email_outgoing")
MAX_WITHDRAW_REASON = 2000


class QualityComplaintTicketPortal(models.AbstractModel):
    """Portal concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.portal"
    _description = "Complaint on the customer portal"

    qc_portal_status = fields.Selection(
        PORTAL_STATUSES,
        string="Progress",
        compute="_compute_qc_portal_status",
        help="The complaint's progress as the customer sees it on the portal.",
    )
    qc_portal_promise = fields.Char(
        string="Promised contact time",
        compute="_compute_qc_portal_promise",
        help="The contact time the acknowledgement (or a later update) promised the "
        "customer; empty until the customer was told.",
    )

    @api.depends(
        "stage_id.closed",
        "stage_id.qc_step",
        "complaint_state",
        "investigation_id",
        "qc_remedy_state",
        "qc_feedback_state",
    )
    def _compute_qc_portal_status(self):
        for ticket in self:
            ticket.qc_portal_status = ticket.sudo()._qc_portal_status()

    @api.depends_context("lang")
    @api.depends("ack_sent_date", "grade_announced_id.response_hours")
    def _compute_qc_portal_promise(self):
        for ticket in self:
            ticket.qc_portal_promise = ticket.sudo()._qc_portal_promise()

    # ------------------------------------------------------------ helpers
    def _qc_portal_status(self):
        """The customer's step: the first rule that holds, from the end of the case
        backwards."""
        self.ensure_one()
        stage = self.stage_id
        feedback = self.qc_feedback_state
        rules = [
            ("closed", stage.closed or stage.qc_step == "done"),
            ("feedback", feedback in FEEDBACK_OPEN),
            # A plan proposed or carried out; after "not satisfied" a revised one follows.
            ("remedy", self.qc_remedy_state in ("planned", "executing")),
            ("remedy", feedback == "dissatisfied"),
            ("feedback", feedback in ("satisfied", "unreachable")),
            ("remedy", stage.qc_step in ("remedy", "followup")),
            (
                "investigating",
                stage.qc_step == "investigating"
                or (self.complaint_state == "registered" and self.investigation_id),
            ),
        ]
        return next((status for status, holds in rules if holds), "received")

    def _qc_portal_promise(self):
        """Only what the customer was told: the announced grade's response time,
        or the company's first-contact promise of an acknowledgement without grade."""
        self.ensure_one()
        if not self.ack_sent_date:
            return False
        if self.grade_announced_id:
            return self.env._(
                "%(time)s (working hours)", time=self.grade_announced_id.response_time_text
            )
        company = self.company_id or self.env.company
        return self.env._("%s hours", company.qc_first_contact_hours)

    def _qc_portal_can_add_evidence(self):
        """Evidence is welcome while the registration still misses or questions
        something, and before the complaint is registered."""
        self.ensure_one()
        ticket = self.sudo()
        if not ticket.is_quality_complaint or ticket.stage_id.closed:
            return False
        return bool(
            ticket.complaint_state == "draft"
            or ticket.registration_missing
            or ticket.registration_to_confirm
        )

    def _qc_portal_feedback_due(self):
        """The customer is asked whether they are satisfied."""
        self.ensure_one()
        ticket = self.sudo()
        return (
            ticket.is_quality_complaint
            and not ticket.stage_id.closed
            and ticket.qc_feedback_state in FEEDBACK_OPEN
        )

    def _qc_portal_remedy_state_labels(self):
        return {
            "planned": self.env._("Proposed"),
            "approved": self.env._("Confirmed"),
            "in_progress": self.env._("On its way"),
            "executed": self.env._("Done"),
        }

    def _qc_portal_remedies(self):
        """The current plan's remedies, as the customer is told of them: what,
        how far, what to look for (tracking reference, coupon code, credit note
        number) and the customer's own amount; never costs, owners or approvals."""
        self.ensure_one()
        ticket = self.sudo()
        labels = self._qc_portal_remedy_state_labels()
        remedies = []
        for remedy in ticket._qc_current_remedies().filtered(lambda r: r.state in labels):
            title = remedy.type_id.name
            remedies.append(
                {
                    "id": remedy.id,
                    "title": title,
                    "name": remedy.name if remedy.name != title else False,
                    "state": remedy.state,
                    "state_label": labels[remedy.state],
                    "customer_info": remedy.customer_info or False,
                    "amount": remedy.amount if remedy.action == "credit_note" else False,
                    "percent": remedy.percent if remedy.action == "coupon" else False,
                    "currency": remedy.currency_id,
                }
            )
        return remedies

    def _qc_portal_steps(self, status, answered=False):
        """The progress tracker: each step done, current or to come; the feedback
        step is done once the customer answered."""
        current = PORTAL_STATUS_ORDER[status]
        labels = dict(self._fields["qc_portal_status"]._description_selection(self.env))
        steps = []
        for code, _label in PORTAL_STATUSES:
            index = PORTAL_STATUS_ORDER[code]
            if index < current or status == "closed" or (index == current and answered):
                state = "done"
            elif index == current:
                state = "current"
            else:
                state = "todo"
            steps.append({"code": code, "label": labels[code], "state": state})
        return steps

    def _qc_portal_values(self):
        """Everything the portal page shows of the complaint, as plain values."""
        self.ensure_one()
        ticket = self.sudo()
        if not ticket.is_quality_complaint:
            return False
        status = ticket.qc_portal_status
        answered = status == "feedback" and ticket.qc_feedback_state not in FEEDBACK_OPEN
        labels = dict(self._fields["qc_portal_status"]._description_selection(self.env))
        return {
            "status": status,
            "status_label": labels[status],
            "steps": self._qc_portal_steps(status, answered),
            "promise": ticket.qc_portal_promise,
            "remedies": ticket._qc_portal_remedies(),
            "can_add_evidence": ticket._qc_portal_can_add_evidence(),
            "feedback_due": ticket._qc_portal_feedback_due(),
            "feedback_given": answered,
            "can_withdraw": ticket._qc_portal_can_withdraw(),
        }

    # ------------------------------------------------------------ the customer acting
    def _qc_portal_customer(self, access_token=None):
        """The partner acting for the ticket's customer, or False: a portal user of
        the customer's commercial entity, or, in a public session, the ticket's
        customer when ``access_token`` is the ticket's own. Followers, employees
        and suppliers who can read the ticket are no customer."""
        self.ensure_one()
        ticket = self.sudo()
        user = self.env.user
        customer = ticket.partner_id
        if user._is_public():
            token = ticket.access_token
            if customer and access_token and token and consteq(token, str(access_token)):
                return customer
            return False
        if not user.share or not customer:
            return False
        if user.partner_id.commercial_partner_id == customer.commercial_partner_id:
            return user.partner_id
        return False

    def _qc_portal_check_customer(self, access_token=None):
        """The acting customer's partner; an AccessError for anybody else."""
        partner = self._qc_portal_customer(access_token)
        if not partner:
            number = self.sudo().number
            raise AccessError(
                self.env._("Only the customer of %(ticket)s can do this.", ticket=number)
            )
        return partner

    # ------------------------------------------------------------ files
    def _qc_portal_attachment_ids(self, viewer=None):
        """{ticket id: attachment ids} the portal shows of each ticket: the files of
        the messages its portal chatter shows and the files its customer uploaded
        (a portal user of the customer's commercial entity, or ``viewer``)."""
        tickets = self.sudo()
        result = {ticket.id: set() for ticket in tickets}
        if not tickets:
            return result
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "in", tickets.ids)])
        )
        if not attachments:
            return result
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", tickets.ids),
                    ("message_type", "in", PORTAL_MESSAGE_TYPES),
                    ("attachment_ids", "in", attachments.ids),
                    *self.env["mail.message"]._get_search_domain_share(),
                ]
            )
        )
        shown = set(messages.attachment_ids.ids)
        customers = {t.id: t.partner_id.commercial_partner_id for t in tickets}
        for attachment in attachments:
            author = attachment.create_uid
            own = viewer and author == viewer
            customer = customers[attachment.res_id]
            of_customer = (
                author.share and customer and author.partner_id.commercial_partner_id == customer
            )
            if attachment.id in shown or own or of_customer:
                result[attachment.res_id].add(attachment.id)
        return result

    def _qc_portal_attachments(self):
        """The files the portal page lists, oldest first, with an access token."""
        self.ensure_one()
        ids = self._qc_portal_attachment_ids(self.env.user)[self.id]
        attachments = self.env["ir.attachment"].sudo().browse(sorted(ids))
        for attachment in attachments:
            attachment.generate_access_token()
        return attachments

    # ------------------------------------------------------------ closing, withdrawing
    def _qc_portal_can_withdraw(self):
        self.ensure_one()
        ticket = self.sudo()
        return bool(
            ticket.is_quality_complaint and not ticket.stage_id.closed and ticket._qc_cancel_stage()
        )

    def _qc_portal_close(self, stage, access_token=None):
        """The customer closes their ticket from the portal (helpdesk_mgmt's close
        buttons) into ``stage``: one of the stages its page offers. A complaint
        closes only by its closing rules; to cancel it the customer withdraws it
        with a reason (``_qc_portal_withdraw``)."""
        self.ensure_one()
        self._qc_portal_check_customer(access_token)
        ticket = self.sudo()
        stage = stage.sudo().exists()
        if ticket.stage_id.closed:
            raise UserError(self.env._("This ticket is already closed."))
        if ticket.team_id:
            offered = ticket.team_id._get_applicable_stages()
        else:
            offered = stage.search(
                [("company_id", "in", [False, ticket.company_id.id]), ("team_ids", "=", False)]
            )
        if not stage or stage not in offered or not stage.close_from_portal:
            raise UserError(self.env._("This ticket cannot be closed into that stage."))
        if ticket.is_quality_complaint:
            if not stage.qc_step:
                raise UserError(
                    self.env._(
                        "To cancel your complaint, withdraw it and tell us why "
                        "(Withdraw my complaint)."
                    )
                )
            # The closing rules, as for anybody who moves the complaint.
            ticket._qc_check_stage_move(stage.id)
        # sudo: the portal user may not write tickets; who, where and the rules
        # are checked above, and only the stage is written.
        ticket.write({"stage_id": stage.id})
        return True

    def _qc_portal_withdraw(self, reason, access_token=None):
        """The customer withdraws their complaint: it moves to its team's Cancelled
        stage, their reason goes to the chatter and customer service (the assignee,
        else the team's leader or first member) gets an activity."""
        self.ensure_one()
        partner = self._qc_portal_check_customer(access_token)
        ticket = self.sudo()
        if not ticket.is_quality_complaint:
            raise UserError(self.env._("Only a quality complaint can be withdrawn."))
        if ticket.stage_id.closed:
            raise UserError(self.env._("This complaint is already closed."))
        reason = (reason or "").strip()[:MAX_WITHDRAW_REASON]
        if not reason:
            raise UserError(self.env._("Tell us why you withdraw your complaint."))
        stage = ticket._qc_cancel_stage()
        if not stage:
            raise UserError(
                self.env._("This complaint cannot be withdrawn here: please contact us.")
            )
        # sudo: checked above (the customer, an open complaint, its Cancelled stage).
        ticket.write({"qc_cancel_reason": reason})
        ticket._qc_check_stage_move(stage.id)
        ticket.write({"stage_id": stage.id})
        body = Markup("<p>%s</p>%s") % (
            self.env._("The customer withdrew the complaint. Their reason:"),
            plaintext2html(reason),
        )
        ticket.with_context(mail_create_nosubscribe=True).message_post(
            body=body,
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        team = ticket.team_id
        responsible = ticket.user_id or team.user_id or team.user_ids[:1]
        if responsible:
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Complaint withdrawn by the customer"),
                note=plaintext2html(reason),
                user_id=responsible.id,
            )
        return True
