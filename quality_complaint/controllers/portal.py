"""The customer's side of a complaint on helpdesk_mgmt's portal ticket page
(/my/ticket/<id>): its progress, the remedies, the evidence they add and their
answer to the satisfaction question."""

from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import plaintext2html

FEEDBACK_ANSWERS = ("satisfied", "dissatisfied")
MAX_COMMENT = 2000


class QualityComplaintPortal(CustomerPortalHelpdesk):
    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        if ticket.is_quality_complaint:
            values["qc_portal"] = ticket._qc_portal_values()
            values["qc_notice"] = self._qc_notices().get(kwargs.get("qc_notice"))
        return values

    def _qc_notices(self):
        """The messages the page shows after the customer's action: (level, text)."""
        return {
            "feedback_thanks": ("success", request.env._("Thank you for your answer.")),
            "feedback_not_due": (
                "warning",
                request.env._("There is no question to answer on this complaint now."),
            ),
            "feedback_invalid": (
                "warning",
                request.env._("Choose 'Satisfied' or 'Not satisfied'."),
            ),
            "evidence_added": (
                "success",
                request.env._("Thank you: your files were added to the complaint."),
            ),
            "evidence_empty": ("warning", request.env._("Choose a file to add.")),
            "evidence_closed": (
                "warning",
                request.env._("Nothing is to be confirmed on this complaint any more."),
            ),
        }

    def _qc_ticket(self, ticket_id, access_token=None):
        """The customer's complaint, sudo'd as the current user; or None when they
        may not see it."""
        try:
            self._document_check_access("helpdesk.ticket", ticket_id, access_token=access_token)
        except (AccessError, MissingError):
            return None
        ticket = request.env["helpdesk.ticket"].sudo().browse(ticket_id)
        return ticket if ticket.is_quality_complaint else None

    def _qc_redirect(self, ticket, access_token, notice):
        url = f"/my/ticket/{ticket.id}"
        if access_token:
            url += f"/{access_token}"
        return request.redirect(f"{url}?{url_encode({'qc_notice': notice})}")

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
        if ticket is None:
            raise NotFound()
        if answer not in FEEDBACK_ANSWERS:
            return self._qc_redirect(ticket, access_token, "feedback_invalid")
        if not ticket._qc_portal_feedback_due():
            return self._qc_redirect(ticket, access_token, "feedback_not_due")
        comment = (comment or "").strip()[:MAX_COMMENT]
        ticket._qc_record_feedback(answer, plaintext2html(comment) if comment else False)
        return self._qc_redirect(ticket, access_token, "feedback_thanks")

    @http.route(
        "/my/ticket/<int:ticket_id>/qc_evidence",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def qc_portal_evidence(self, ticket_id, access_token=None, **kw):
        """The customer adds photos, videos or reports while something is to be
        confirmed; the staff is told in the chatter."""
        ticket = self._qc_ticket(ticket_id, access_token)
        if ticket is None:
            raise NotFound()
        if not ticket._qc_portal_can_add_evidence():
            return self._qc_redirect(ticket, access_token, "evidence_closed")
        files = [f for f in request.httprequest.files.getlist("evidence") if f.filename]
        if not files:
            return self._qc_redirect(ticket, access_token, "evidence_empty")
        author = request.env.user.partner_id
        if request.env.user._is_public():
            author = ticket.partner_id
        # The ticket is sudo'd but the customer stays the user: Odoo stores their
        # HTML or SVG files as plain text, never rendered.
        ticket.with_context(mail_create_nosubscribe=True).message_post(
            body=request.env._("Evidence added by the customer."),
            attachments=[(upload.filename, upload.read()) for upload in files],
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return self._qc_redirect(ticket, access_token, "evidence_added")
