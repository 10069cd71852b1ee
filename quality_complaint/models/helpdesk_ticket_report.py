"""The complaint report sent to the customer (issue 11): "Send Report" opens the
mail composer with the template ``mail_template_complaint_report``, which attaches
the PDF printed in the customer's language (report/complaint_customer_report.xml)."""

from odoo import models
from odoo.exceptions import UserError

from ..roles import CUSTOMER_SERVICE, role

REPORT_TEMPLATE = "quality_complaint.mail_template_complaint_report"


class QualityComplaintTicketReport(models.AbstractModel):
    """Customer report concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.report"
    _description = "Complaint report for the customer"

    @role(CUSTOMER_SERVICE)
    def action_send_complaint_report(self):
        """The mail composer with the complaint report attached, to the customer."""
        self.ensure_one()
        if not self.is_quality_complaint:
            raise UserError(
                self.env._("%s is not a quality complaint: it has no complaint report.", self.name)
            )
        if not self.partner_id:
            raise UserError(
                self.env._("Complaint %s has no customer to send the report to.", self.name)
            )
        template = self.env.ref(REPORT_TEMPLATE, raise_if_not_found=False)
        if not template:
            raise UserError(
                self.env._(
                    "The mail template 'Quality complaint: your complaint report' was deleted: "
                    "restore it (module update) first."
                )
            )
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
            },
        }
