"""The result of the remedies told to the customer (docs/process.md §5): Send Result posts
the editable template with the documents' facts and Odoo's rating links; Record
Feedback opens the wizard for an answer given on the phone. The answer itself is
recorded by helpdesk_ticket_feedback.py."""

from odoo import fields, models
from odoo.exceptions import UserError

from ..roles import CUSTOMER_SERVICE, role
from .helpdesk_ticket_feedback import FEEDBACK_OPEN, RESULT_TEMPLATE


class QualityComplaintTicketFeedbackResult(models.AbstractModel):
    """Result-message concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.feedback.result"
    _description = "Complaint result of the remedies"

    # ------------------------------------------------------------ actions
    def _qc_check_feedback_open(self):
        """Feedback is possible once the plan is executed, until it is recorded."""
        for ticket in self:
            if not ticket.is_quality_complaint:
                raise UserError(self.env._("%s is not a quality complaint.", ticket.display_name))
            if ticket.qc_feedback_state == "dissatisfied":
                raise UserError(
                    self.env._(
                        "%s: the customer was not satisfied; their feedback on the revised "
                        "plan follows once it is executed.",
                        ticket.display_name,
                    )
                )
            if ticket.qc_feedback_state == "none":
                raise UserError(
                    self.env._(
                        "%s: no remedy plan has been executed yet; the result and the "
                        "customer's feedback follow once its last remedy is executed.",
                        ticket.display_name,
                    )
                )
            if ticket.qc_feedback_state not in FEEDBACK_OPEN:
                raise UserError(
                    self.env._(
                        "%(ticket)s: the customer's feedback is already recorded (%(state)s).",
                        ticket=ticket.display_name,
                        state=dict(
                            self._fields["qc_feedback_state"]._description_selection(self.env)
                        )[ticket.qc_feedback_state],
                    )
                )

    @role(CUSTOMER_SERVICE)
    def action_qc_send_result(self):
        """Send the customer what was done and ask whether they are satisfied."""
        self._qc_check_feedback_open()
        for ticket in self:
            if not ticket.partner_id:
                raise UserError(
                    self.env._(
                        "%s has no customer to send the result to: set the customer first.",
                        ticket.display_name,
                    )
                )
        template = self.env.ref(RESULT_TEMPLATE, raise_if_not_found=False)
        if not template:
            raise UserError(
                self.env._(
                    "The mail template 'Quality complaint: result of the remedies' was "
                    "deleted: restore it (update the Quality Complaints module)."
                )
            )
        self.check_access("write")
        self.with_context(qc_auto_message=True)._qc_post_template(template)
        now = fields.Datetime.now()
        self.sudo().write({"qc_feedback_state": "sent", "qc_feedback_sent_date": now})
        self._qc_feedback_stop_clock()
        self._qc_feedback_close_activities(self.env._("Result sent to the customer."))
        return True

    @role(CUSTOMER_SERVICE)
    def action_qc_record_feedback(self):
        """Open the wizard recording the customer's answer after a call."""
        self.ensure_one()
        self._qc_check_feedback_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Feedback"),
            "res_model": "quality.complaint.feedback.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _qc_feedback_result_lines(self):
        """(remedy, what the customer is told of its document) of the current
        plan's executed remedies, for the result message."""
        self.ensure_one()
        lines = []
        for remedy in self.sudo()._qc_current_remedies().filtered(lambda r: r.state == "executed"):
            info = remedy.customer_info or remedy.document_ref
            if not info:
                info = ", ".join(filter(None, [remedy.picking_id.name, remedy.invoice_id.name]))
            lines.append((remedy.name, info or ""))
        return lines
