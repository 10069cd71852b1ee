"""helpdesk_mgmt's routes that reach a customer's ticket, made safe:

- ``/ticket/close``: helpdesk_mgmt closes any ticket by id for any logged-in user,
  with a GET. Here it takes a POST with the CSRF token, from the ticket's own
  customer (or its link in a public session) only, into a stage the page offers;
  a complaint closes only by its closing rules and is cancelled only by being
  withdrawn with a reason (``helpdesk.ticket._qc_portal_close``).
- ``/submitted/ticket`` and the portal chatter's ``/mail/attachment/upload``: the
  customer's files are held to the company's upload limits
  (``res.company._qc_check_uploads``) when they reach a complaint.
"""

from werkzeug.exceptions import BadRequest, Forbidden, NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.mail.controllers.attachment import AttachmentController
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import consteq

TICKET = "helpdesk.ticket"


def uploads_of(files):
    """[(file name, content)] of uploaded files, each left ready to be read again."""
    uploads = []
    for upload in files:
        uploads.append((upload.filename, upload.read()))
        upload.stream.seek(0)
    return uploads


class QualityComplaintTicketController(HelpdeskTicketController):
    @http.route("/ticket/close", type="http", auth="public", methods=["POST"], website=True)
    def support_ticket_close(self, ticket_id=None, stage_id=None, access_token=None, **kw):
        """The customer closes their ticket into one of the stages its page offers."""
        try:
            ticket_id, stage_id = int(ticket_id), int(stage_id)
        except (TypeError, ValueError) as error:
            raise BadRequest() from error
        ticket = request.env[TICKET].browse(ticket_id)
        ticket_sudo = ticket.sudo().exists()
        if not ticket_sudo:
            raise NotFound()
        if not ticket.has_access("read"):
            token = ticket_sudo.access_token
            if not (access_token and token and consteq(token, str(access_token))):
                raise NotFound()
        stage = request.env["helpdesk.ticket.stage"].browse(stage_id)
        url = f"/my/ticket/{ticket_id}" + (f"/{access_token}" if access_token else "")
        try:
            ticket._qc_portal_close(stage, access_token=access_token)
        except AccessError as error:
            raise Forbidden() from error
        except UserError as error:
            if not ticket_sudo.is_quality_complaint:
                # An ordinary ticket stays where it was, as helpdesk_mgmt leaves it.
                return request.redirect(url, code=302)
            # Shown by the complaint's portal page (controllers/portal.py).
            request.session["qc_portal_error"] = error.args[0]
            return request.redirect(f"{url}?{url_encode({'qc_notice': 'error'})}", code=302)
        return request.redirect(url, code=302)

    @http.route()
    def submit_ticket(self, **kw):
        files = [f for f in request.httprequest.files.getlist("attachment") if f.filename]
        if files:
            vals = self._prepare_submit_ticket_vals(**kw)
            team = request.env["helpdesk.ticket.team"].sudo().browse(vals.get("team_id"))
            if team.qc_is_quality_team:
                company = request.env["res.company"].sudo().browse(vals["company_id"])
                try:
                    company._qc_check_uploads(uploads_of(files))
                except UserError as error:
                    values = self._get_create_new_ticket_values(**kw)
                    values["qc_upload_error"] = error.args[0]
                    return request.render("helpdesk_mgmt.portal_create_ticket", values)
        return super().submit_ticket(**kw)


class QualityComplaintAttachmentController(AttachmentController):
    @http.route()
    def mail_attachment_upload(self, ufile, thread_id, thread_model, is_pending=False, **kwargs):
        """A customer's file in the chatter of a complaint keeps to the upload limits."""
        if thread_model == TICKET and not request.env.user._is_internal():
            thread = self._get_thread_with_access_for_post(thread_model, thread_id, **kwargs)
            if thread and thread.sudo().is_quality_complaint:
                company = thread.sudo().company_id or request.env.company
                try:
                    company._qc_check_uploads(uploads_of([ufile]))
                except UserError as error:
                    return request.make_json_response({"error": error.args[0]})
        return super().mail_attachment_upload(
            ufile, thread_id, thread_model, is_pending=is_pending, **kwargs
        )
