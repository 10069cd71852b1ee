from odoo import fields, models
from odoo.exceptions import UserError


class QualityComplaintInvestigationProgress(models.AbstractModel):
    """Progress updates of an investigation to the customers who complained.

    A mixin of ``quality.complaint.investigation``; its bookkeeping fields are
    kept by the action only (see the investigation's ``_write_bookkeeping``).
    """

    _name = "quality.complaint.investigation.progress"
    _description = "Quality complaint investigation: progress updates"

    progress_update_date = fields.Datetime(string="Last progress update", readonly=True, copy=False)
    progress_update_count = fields.Integer(string="Progress updates", readonly=True, copy=False)

    def action_send_progress_update(self):
        """Tell each linked complaint's customer how the investigation is going.

        The editable template is posted on every linked complaint; a customer with
        several complaints in the investigation is e-mailed once per click (on the
        oldest one), the others get an internal note pointing to it.
        """
        self.check_access("write")
        template = self.env.ref(
            "quality_complaint.mail_template_investigation_progress", raise_if_not_found=False
        )
        if not template:
            raise UserError(
                self.env._(
                    "The mail template 'Quality complaint: investigation progress' was "
                    "deleted: restore it (module update) before sending progress updates."
                )
            )
        for investigation in self:
            if not investigation.ticket_ids.filtered("partner_id"):
                raise UserError(
                    self.env._(
                        "Investigation %s has no complaint with a customer to inform.",
                        investigation.name,
                    )
                )
        for investigation in self:
            tickets = investigation.ticket_ids.filtered("partner_id").sorted("id")
            informed = {}
            for ticket in tickets:
                customer = ticket.partner_id.commercial_partner_id
                first = informed.get(customer.id)
                if first:
                    ticket.message_post(
                        body=self.env._(
                            "Investigation progress update sent to the customer on %s.",
                            first.display_name,
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
                    continue
                ticket.message_post_with_source(
                    template, message_type="comment", subtype_xmlid="mail.mt_comment"
                )
                informed[customer.id] = ticket
            investigation.message_post(
                body=self.env._(
                    "Progress update sent to %(count)s customer(s): %(names)s",
                    count=len(informed),
                    names=", ".join(t.partner_id.display_name for t in informed.values()),
                ),
                subtype_xmlid="mail.mt_note",
            )
            investigation._write_bookkeeping(
                {
                    "progress_update_date": fields.Datetime.now(),
                    "progress_update_count": investigation.progress_update_count + 1,
                }
            )
        return True
