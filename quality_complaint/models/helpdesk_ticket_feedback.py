"""The customer's feedback on the remedies (SPEC §5): once the last remedy of the
plan is executed, the result is due to the customer within the company's working
days, with the question whether they are satisfied."""

from odoo import fields, models

FEEDBACK_STATES = [
    ("none", "Not due"),
    ("due", "Result to send"),
    ("sent", "Awaiting the customer's answer"),
    ("satisfied", "Satisfied"),
    ("dissatisfied", "Not satisfied"),
    ("unreachable", "Customer unreachable"),
]
FEEDBACK_OUTCOMES = ("satisfied", "dissatisfied", "unreachable")
# Only the feedback's actions set these.
FEEDBACK_PROTECTED = {"qc_feedback_state", "qc_feedback_date"}


class QualityComplaintTicketFeedback(models.AbstractModel):
    """Feedback concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.feedback"
    _description = "Complaint customer feedback"

    qc_feedback_state = fields.Selection(
        FEEDBACK_STATES,
        string="Feedback",
        default="none",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        groups="base.group_user",
    )
    qc_feedback_date = fields.Datetime(
        string="Feedback recorded on", readonly=True, copy=False, groups="base.group_user"
    )

    def _qc_on_remedies_executed(self):
        """The plan is carried out: the result is due to the customer."""
        self.filtered(lambda t: t.qc_feedback_state == "none").sudo().write(
            {"qc_feedback_state": "due"}
        )
        return super()._qc_on_remedies_executed()

    def _qc_record_feedback(self, outcome, note=False):
        """Record the customer's answer: ``outcome`` in FEEDBACK_OUTCOMES."""
        assert outcome in FEEDBACK_OUTCOMES
        self.sudo().write({"qc_feedback_state": outcome, "qc_feedback_date": fields.Datetime.now()})
        if note:
            self._message_log_batch(dict.fromkeys(self.ids, note))

    def _qc_on_case_handled(self):
        """The customer's feedback is recorded satisfied, or the customer was
        unreachable: the case is handled (the 30-day call-back follows,
        helpdesk_ticket_followup.py). Called again when feedback is recorded anew,
        so implementations are idempotent."""
        return None
