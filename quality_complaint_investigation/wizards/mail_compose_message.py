from odoo import fields, models
from odoo.tools.misc import clean_context


class MailComposeMessage(models.TransientModel):
    """The mail composer calls back the investigation that opened it, once sent."""

    _inherit = "mail.compose.message"

    qc_investigation_done = fields.Boolean(
        string="Investigation bookkeeping done", readonly=True, copy=False
    )

    def _action_send_mail(self, auto_commit=False):
        result = super()._action_send_mail(auto_commit=auto_commit)
        self._qc_investigation_callback()
        return result

    def _qc_investigation_callback(self):
        """Do the bookkeeping of the investigation action that opened the composer."""
        purpose = self.env.context.get("qc_investigation_purpose")
        investigation_id = self.env.context.get("qc_investigation_id")
        if not purpose or not investigation_id:
            return
        # without the composer's default_* keys, which are not meant for our records
        env = self.env(context=clean_context(self.env.context))
        investigation = env["quality.complaint.investigation"].browse(investigation_id)
        for wizard in self.filtered(lambda w: not w.qc_investigation_done):
            if wizard.model != "helpdesk.ticket":
                continue
            # only the investigation's own complaints count, whatever the context says
            tickets = (
                env["helpdesk.ticket"]
                .browse(wizard._evaluate_res_ids())
                .filtered(lambda t, inv=investigation: t.investigation_id == inv)
            )
            if not tickets:
                continue
            if purpose == "progress":
                investigation._qc_progress_update_sent(tickets)
            elif purpose == "containment":
                investigation._qc_containment_notice_sent(tickets)
            wizard.qc_investigation_done = True
