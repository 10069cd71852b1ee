"""The supplier's side of a corrective action on the portal (SCAR): the requests
addressed to its company (/my/supplier-actions) and the answer form of each.

A logged-in portal user of the supplier sees them through the portal record rule;
the signed link of the request e-mail (?access_token=) opens one without logging
in. The answer goes through ``_qca_supplier_answer``, which checks again that it
comes from the action's supplier."""

from werkzeug.exceptions import Forbidden
from werkzeug.urls import url_encode

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

# What a supplier sees on the portal: the requests sent to it.
PORTAL_DOMAIN = [("supplier_state", "!=", "none")]
ANSWER_FIELDS = ("containment_note", "root_cause", "corrective_action", "planned_date")


class QualityComplaintSupplierPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "qc_supplier_action_count" in counters:
            Action = request.env["quality.complaint.action"]
            values["qc_supplier_action_count"] = (
                Action.search_count(PORTAL_DOMAIN) if Action.has_access("read") else 0
            )
        return values

    def _qca_notices(self):
        """The messages the page shows after the supplier's action: (level, text)."""
        return {
            "answer_sent": (
                "success",
                request.env._("Thank you: your answer was sent. We will review it."),
            ),
        }

    def _qca_portal_action(self, action_id, access_token=None):
        """The action, sudo'd, when the current user may see it; else None."""
        try:
            action = self._document_check_access(
                "quality.complaint.action", action_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return None
        # Sudo'd, but the supplier stays the user (not the superuser of the check).
        action = request.env["quality.complaint.action"].sudo().browse(action.id)
        if action.supplier_state == "none":
            return None
        # The signed link of a cancelled action opens nothing (its token was renewed
        # too; this holds for any link signed since).
        by_link = not action.with_user(request.env.user).has_access("read")
        if by_link and action.state == "cancelled":
            return None
        return action

    def _qca_url(self, action, access_token, **params):
        url = f"/my/supplier-actions/{action.id}"
        if access_token:
            params["access_token"] = access_token
        return f"{url}?{url_encode(params)}" if params else url

    # ------------------------------------------------------------ list
    @http.route(
        ["/my/supplier-actions", "/my/supplier-actions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_supplier_actions(self, page=1, **kw):
        Action = request.env["quality.complaint.action"]
        values = self._prepare_portal_layout_values()
        if not Action.has_access("read"):
            return request.redirect("/my")
        count = Action.search_count(PORTAL_DOMAIN)
        pager = portal_pager(
            url="/my/supplier-actions", total=count, page=page, step=self._items_per_page
        )
        actions = Action.search(
            PORTAL_DOMAIN,
            order="supplier_request_date desc, id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_supplier_actions_history"] = actions.ids[:100]
        values.update(
            {
                "supplier_actions": actions.sudo(),
                "qca_state_label": self._qca_state_label,
                "page_name": "supplier_actions",
                "pager": pager,
                "default_url": "/my/supplier-actions",
            }
        )
        return request.render("quality_complaint_purchase.portal_my_supplier_actions", values)

    # ------------------------------------------------------------ detail
    def _qca_page_values(self, action, access_token, form=None, error=None, **kw):
        for attachment in action.supplier_evidence_ids:
            attachment.generate_access_token()
        if form is None:
            form = {
                "containment_done": action.supplier_containment_done,
                "containment_note": action.supplier_containment_note or "",
                "root_cause": action.supplier_root_cause or "",
                "corrective_action": action.supplier_corrective_action or "",
                "planned_date": action.supplier_planned_date or "",
            }
        values = {
            "supplier_action": action,
            "page_name": "supplier_action",
            "qca_form": form,
            "qca_error": error,
            "qca_notice": self._qca_notices().get(kw.get("qca_notice")),
            "qca_can_answer": action.supplier_state in ("requested", "rejected")
            and action.state in ("draft", "open", "reopened"),
            "qca_state_label": self._qca_state_label(action),
            "qca_scope": action._qca_supplier_scope(),
        }
        return self._get_page_view_values(
            action, access_token, values, "my_supplier_actions_history", False, **kw
        )

    def _qca_state_label(self, action):
        """The request's status as the supplier reads it (what it has to do, not the
        buyer's step), or that the action was cancelled."""
        if action.state == "cancelled":
            field = action._fields["state"]
            return dict(field._description_selection(request.env))[action.state]
        env = request.env
        labels = {
            "requested": env._("Awaiting your answer"),
            "rejected": env._("Awaiting your new answer"),
            "answered": env._("Answer received, under review"),
            "accepted": env._("Answer accepted"),
        }
        return labels.get(action.supplier_state, "")

    @http.route(
        ["/my/supplier-actions/<int:action_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_supplier_action(self, action_id, access_token=None, **kw):
        action = self._qca_portal_action(action_id, access_token)
        if action is None:
            return request.redirect("/my")
        values = self._qca_page_values(action, access_token, **kw)
        return request.render("quality_complaint_purchase.portal_supplier_action_page", values)

    @http.route(
        ["/my/supplier-actions/<int:action_id>/answer"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_supplier_action_answer(self, action_id, access_token=None, **kw):
        """The supplier answers the request: containment, root cause, corrective
        action, planned date and evidence files."""
        action = self._qca_portal_action(action_id, access_token)
        if action is None:
            raise Forbidden()
        form = {name: (kw.get(name) or "").strip() for name in ANSWER_FIELDS}
        form["containment_done"] = bool(kw.get("containment_done"))
        files = [f for f in request.httprequest.files.getlist("evidence") if f.filename]
        values = {**form, "evidence": [(upload.filename, upload.read()) for upload in files]}
        try:
            action._qca_supplier_answer(values)
        except AccessError as error:
            raise Forbidden(error.args[0]) from None
        except (UserError, ValidationError) as error:
            page = self._qca_page_values(action, access_token, form=form, error=error.args[0])
            return request.render("quality_complaint_purchase.portal_supplier_action_page", page)
        return request.redirect(self._qca_url(action, access_token, qca_notice="answer_sent"))
