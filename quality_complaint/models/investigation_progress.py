from odoo import fields, models
from odoo.exceptions import UserError

from ..roles import OFFICER, role


class QualityComplaintInvestigationProgress(models.AbstractModel):
    """Progress updates of an investigation to the customers who complained.

    A mixin of ``quality.complaint.investigation``; its bookkeeping fields are
    kept by the action only (see the investigation's ``_qc_write_protected``).
    """

    _name = "quality.complaint.investigation.progress"
    _description = "Quality complaint investigation: progress updates"

    progress_update_date = fields.Datetime(string="Last progress update", readonly=True, copy=False)
    progress_update_count = fields.Integer(string="Progress updates", readonly=True, copy=False)

    @role(OFFICER)
    def action_send_progress_update(self):
        """Open the mail composer on the linked complaints, with the progress template.

        A customer with several complaints in the investigation is e-mailed once
        (on the oldest one); the bookkeeping is done when the composer sends
        (``_qc_progress_update_sent``).
        """
        self.ensure_one()
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
        firsts = self._qc_progress_first_tickets()
        if not firsts:
            raise UserError(
                self.env._(
                    "Investigation %s has no complaint with a customer to inform.", self.name
                )
            )
        return self._qc_composer_action(template, firsts, "progress")

    def _qc_progress_first_tickets(self):
        """The oldest complaint of each customer of the investigation."""
        firsts = self.env["helpdesk.ticket"]
        for ticket in self.ticket_ids.filtered("partner_id").sorted("id"):
            customer = ticket.partner_id.commercial_partner_id
            if customer not in firsts.partner_id.commercial_partner_id:
                firsts |= ticket
        return firsts

    def _qc_composer_action(self, template, tickets, purpose):
        """The mail composer on ``tickets`` with ``template``, calling back on send."""
        return tickets._qc_open_composer(
            template, qc_investigation_id=self.id, qc_investigation_purpose=purpose
        )

    def _qc_progress_update_sent(self, tickets):
        """After the composer sent the update on ``tickets``: notes and bookkeeping."""
        self.ensure_one()
        for ticket in self.ticket_ids.filtered("partner_id").sorted("id") - tickets:
            first = tickets.filtered(
                lambda t, c=ticket.partner_id.commercial_partner_id: (
                    t.partner_id.commercial_partner_id == c
                )
            )[:1]
            if first:
                ticket.message_post(
                    body=self.env._(
                        "Investigation progress update sent to the customer on %s.",
                        first.display_name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        self.message_post(
            body=self.env._(
                "Progress update sent to %(count)s customer(s): %(names)s",
                count=len(tickets),
                names=", ".join(tickets.partner_id.mapped("display_name")),
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._qc_write_protected(
            {
                "progress_update_date": fields.Datetime.now(),
                "progress_update_count": self.progress_update_count + 1,
            }
        )
