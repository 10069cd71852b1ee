"""The customer's answer to the satisfaction question, on the portal page of
their complaint (the base's controllers/portal.py: only the complaint's customer
acts, a 404 for who may not read it, a 403 for who may read it but is not its
customer)."""

from odoo import http
from odoo.addons.quality_complaint.controllers.portal import QualityComplaintPortal
from odoo.http import request
from odoo.tools import plaintext2html

FEEDBACK_ANSWERS = ("satisfied", "dissatisfied")
MAX_COMMENT = 2000


class QualityComplaintRemedyPortal(QualityComplaintPortal):
    def _qc_notices(self):
        return {
            **super()._qc_notices(),
            "feedback_thanks": ("success", request.env._("Thank you for your answer.")),
            "feedback_not_due": (
                "warning",
                request.env._("There is no question to answer on this complaint now."),
            ),
            "feedback_invalid": (
                "warning",
                request.env._("Choose 'Satisfied' or 'Not satisfied'."),
            ),
        }

    @http.route(
        "/my/ticket/<int:ticket_id>/qc_feedback",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def qc_portal_feedback(self, ticket_id, answer=None, comment=None, access_token=None, **kw):
        """The customer answers the satisfaction question."""
        ticket = self._qc_ticket(ticket_id, access_token)
        if answer not in FEEDBACK_ANSWERS:
            return self._qc_redirect(ticket, access_token, "feedback_invalid")
        if not ticket._qc_portal_feedback_due():
            return self._qc_redirect(ticket, access_token, "feedback_not_due")
        comment = (comment or "").strip()[:MAX_COMMENT]
        ticket._qc_record_feedback(
            answer, plaintext2html(comment) if comment else False, customer_comment=comment
        )
        return self._qc_redirect(ticket, access_token, "feedback_thanks")
