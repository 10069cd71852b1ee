"""What the customer sees of their complaint on the portal (helpdesk_mgmt's
/my/ticket page): its progress in plain words, the contact time they were
promised, the remedies meant for them, whether they may add evidence or answer
the satisfaction question.

Everything here is read as the superuser and handed to the page as plain values
(``_qc_portal_values``): the page never reads the complaint's internal fields.
"""

from odoo import api, fields, models

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
        }
