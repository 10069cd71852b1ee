"""The customer's side of a complaint on helpdesk_mgmt's portal ticket page
(/my/ticket/<id>): its progress, the evidence they add and the withdrawal of the
complaint. quality_complaint_remedy adds the remedies and the satisfaction
question (its controllers/portal.py).

Only the complaint's customer acts here (``helpdesk.ticket._qc_portal_customer``):
somebody who may read the ticket but is not its customer (a follower, an employee,
a supplier) gets a 403, somebody who may not read it a 404. The page lists only
the files the customer may see."""

from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import formatLang


class QualityComplaintPortal(CustomerPortalHelpdesk):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "qc_complaint_line_count" in counters:
            # The entry to the complaint form shows to a customer with deliveries.
            values["qc_complaint_line_count"] = request.env[
                "helpdesk.ticket"
            ]._qc_portal_intake_count()
        return values

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        # ``ticket`` comes as the superuser: what the viewer may see is read as them.
        as_viewer = request.env["helpdesk.ticket"].browse(ticket.id)
        values["qc_attachments"] = as_viewer._qc_portal_attachments()
        is_customer = bool(as_viewer._qc_portal_customer(access_token))
        if not is_customer or ticket.is_quality_complaint:
            # Complaints close by their own rules (Withdraw my complaint); nobody
            # but the customer closes a ticket.
            values["closed_stages"] = ticket.stage_id.browse()
        if ticket.is_quality_complaint:
            values["qc_portal"] = ticket._qc_portal_values()
            values["qc_is_customer"] = is_customer
            values["qc_upload_accept"] = ",".join(
                (ticket.company_id or request.env.company)._qc_upload_patterns()
            )
            notice = kwargs.get("qc_notice")
            error = request.session.pop("qc_portal_error", None)
            if notice == "error" and error:
                values["qc_notice"] = ("danger", error)
            else:
                values["qc_notice"] = self._qc_notices().get(notice)
        return values

    def _qc_notices(self):
        """The messages the page shows after the customer's action: (level, text).
        Extended by quality_complaint_remedy (the answer to the satisfaction
        question)."""
        return {
            "filed": (
                "success",
                request.env._(
                    "Thank you: your complaint was received. We have sent you a "
                    "confirmation and will contact you soon."
                ),
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
            "withdrawn": (
                "success",
                request.env._(
                    "Your complaint is withdrawn. Customer service has been told; thank you "
                    "for letting us know."
                ),
            ),
            "withdraw_no_reason": (
                "warning",
                request.env._("Tell us why you withdraw your complaint."),
            ),
        }

    def _qc_ticket(self, ticket_id, access_token=None):
        """The customer's complaint, sudo'd as the current user. A 404 for who may
        not read it, a 403 for who may read it but is not its customer."""
        try:
            self._document_check_access("helpdesk.ticket", ticket_id, access_token=access_token)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        ticket = request.env["helpdesk.ticket"].browse(ticket_id)
        if not ticket.sudo().is_quality_complaint:
            raise NotFound()
        if not ticket._qc_portal_customer(access_token):
            raise Forbidden()
        return ticket.sudo()

    def _qc_redirect(self, ticket, access_token, notice=None, error=None):
        url = f"/my/ticket/{ticket.id}"
        if access_token:
            url += f"/{access_token}"
        if error:
            # The message is the server's, kept in the session: never a text of the URL.
            request.session["qc_portal_error"] = error
            notice = "error"
        return request.redirect(f"{url}?{url_encode({'qc_notice': notice})}")

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
        if not ticket._qc_portal_can_add_evidence():
            return self._qc_redirect(ticket, access_token, "evidence_closed")
        files = [f for f in request.httprequest.files.getlist("evidence") if f.filename]
        if not files:
            return self._qc_redirect(ticket, access_token, "evidence_empty")
        author = ticket.with_env(request.env)._qc_portal_customer(access_token)
        uploads = [(upload.filename, upload.read()) for upload in files]
        try:
            (ticket.company_id or request.env.company)._qc_check_uploads(uploads)
        except UserError as error:
            return self._qc_redirect(ticket, access_token, error=error.args[0])
        # The ticket is sudo'd but the customer stays the user: Odoo stores their
        # HTML or SVG files as plain text, never rendered.
        ticket.with_context(mail_create_nosubscribe=True).message_post(
            body=request.env._("Evidence added by the customer."),
            attachments=uploads,
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return self._qc_redirect(ticket, access_token, "evidence_added")

    @http.route(
        "/my/ticket/<int:ticket_id>/qc_withdraw",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def qc_portal_withdraw(self, ticket_id, reason=None, access_token=None, **kw):
        """The customer withdraws the complaint, with a reason."""
        ticket = self._qc_ticket(ticket_id, access_token)
        if not (reason or "").strip():
            return self._qc_redirect(ticket, access_token, "withdraw_no_reason")
        try:
            ticket.with_env(request.env)._qc_portal_withdraw(reason, access_token=access_token)
        except UserError as error:
            return self._qc_redirect(ticket, access_token, error=error.args[0])
        return self._qc_redirect(ticket, access_token, "withdrawn")

    # ------------------------------------------------------------ filing a complaint
    def _qc_complaint_form_values(self, posted=None, error=None):
        """The complaint form's plain values: the customer's delivered lines, each
        with the lots it received on them, and what they posted (on an error)."""
        Ticket = request.env["helpdesk.ticket"]
        lines = Ticket._qc_portal_intake_lines()
        lots = Ticket._qc_portal_intake_lots(lines)

        def delivered(line):
            return line.product_uom_id._compute_quantity(line.qty_delivered, line.product_id.uom_id)

        company = lines[:1].order_id.company_id or request.env.company
        impact_labels = dict(Ticket._fields["impact_level"]._description_selection(request.env))
        request_labels = dict(
            Ticket._fields["customer_request"]._description_selection(request.env)
        )
        posted = posted or {}
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "qc_complaint_new",
                "qc_lines": [
                    {
                        "id": line.id,
                        "order": line.order_id.name,
                        "label": (
                            f"{line.order_id.name} - {line.product_id.display_name} "
                            f"({formatLang(request.env, delivered(line))} "
                            f"{line.product_id.uom_id.name})"
                        ),
                        "lots": [{"id": lot.id, "name": lot.name} for lot in lots[line.id]],
                    }
                    for line in lines
                ],
                "qc_impacts": list(impact_labels.items()),
                "qc_requests": list(request_labels.items()),
                "qc_categories": [
                    {"id": category.id, "name": category.name}
                    for category in Ticket._qc_portal_defect_categories(company)
                ],
                "qc_upload_accept": ",".join(company._qc_upload_patterns()),
                "qc_posted": posted,
                "qc_posted_lots": {str(lot) for lot in posted.get("lot_ids", [])},
                "qc_error": error,
            }
        )
        return values

    @http.route("/my/complaints/new", type="http", auth="user", methods=["GET"], website=True)
    def qc_portal_complaint_new(self, **kw):
        """The customer's complaint form: one of their delivered lines, its lots,
        what happens, the request and the evidence."""
        if not request.env.user.share:
            raise Forbidden()
        values = self._qc_complaint_form_values(posted={"line_id": kw.get("line_id")})
        return request.render("quality_complaint.portal_complaint_new", values)

    @http.route("/my/complaints/submit", type="http", auth="user", methods=["POST"], website=True)
    def qc_portal_complaint_submit(self, **post):
        """The complaint the customer filed; each posted value is checked by
        ``helpdesk.ticket._qc_portal_file_complaint``, nothing is created on an error."""
        if not request.env.user.share:
            raise Forbidden()
        form = {
            key: post.get(key)
            for key in (
                "line_id",
                "description",
                "occurrence",
                "impact_level",
                "customer_request",
                "customer_request_note",
                "affected_qty",
                "defect_category_id",
            )
        }
        form["lot_ids"] = request.httprequest.form.getlist("lot_ids")
        files = [f for f in request.httprequest.files.getlist("evidence") if f.filename]
        uploads = [(upload.filename, upload.read()) for upload in files]
        try:
            ticket = request.env["helpdesk.ticket"]._qc_portal_file_complaint(form, uploads)
        except (UserError, AccessError) as error:
            values = self._qc_complaint_form_values(posted=form, error=error.args[0])
            return request.render("quality_complaint.portal_complaint_new", values, status=400)
        return request.redirect(f"/my/ticket/{ticket.id}?{url_encode({'qc_notice': 'filed'})}")
