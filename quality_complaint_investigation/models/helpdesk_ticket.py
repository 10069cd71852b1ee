"""The complaint under investigation: the investigation of its lot
(docs/process.md §3).

What this addon adds to ``helpdesk.ticket``: the investigation the complaint
belongs to, who may attach it, *Start Investigation* (a complaint joins the open
investigation of its lot), the stage rule of the investigation step and the
customer's "being investigated" on the portal.
"""

from odoo import api, fields, models
from odoo.addons.quality_complaint.lang import company_env
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, OFFICER, role
from odoo.exceptions import AccessError, UserError

from .investigation import OPEN_STATES


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    investigation_id = fields.Many2one(
        "quality.complaint.investigation",
        index="btree_not_null",
        tracking=True,
        copy=False,
        check_company=True,
        groups="base.group_user",
        help="The investigation finding the root cause of this complaint; one "
        "investigation serves every complaint on the same bad lot.",
    )
    investigation_state = fields.Selection(
        related="investigation_id.state", string="Investigation status", groups="base.group_user"
    )

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        self._qc_check_investigation_vals(vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._qc_check_investigation_vals([vals])
        return super().write(vals)

    @api.model
    def default_get(self, fields):
        """A default investigation (the context's, ``ir.default``) attaches the new
        complaint only for who may attach it; for others it is left empty."""
        defaults = super().default_get(fields)
        if defaults.get("investigation_id") and not self._qc_may_investigate():
            del defaults["investigation_id"]
        return defaults

    # ============================================================
    # The investigation of its lot (docs/process.md §3)
    # ============================================================

    def _qc_check_investigation_vals(self, vals_list, creating=False):
        """On create and write: only quality officers attach complaints to
        investigations, or detach them."""
        if any(
            vals.get("investigation_id") if creating else "investigation_id" in vals
            for vals in vals_list
        ):
            self._qc_check_may_investigate()

    def _qc_may_investigate(self):
        return self.env.su or self.env.user.has_group("quality_complaint.group_complaint_officer")

    def _qc_check_may_investigate(self):
        if not self._qc_may_investigate():
            raise AccessError(
                self.env._("Only quality officers attach complaints to investigations.")
            )

    @role(OFFICER)
    def action_start_investigation(self):
        """Start an investigation for the complaint, or join the open one of its lot."""
        self._qc_check_may_investigate()
        not_complaints = self.filtered(lambda t: not t.is_quality_complaint)
        if not_complaints:
            raise UserError(
                self.env._(
                    "%s is not a quality complaint: mark it as one first.",
                    not_complaints[0].display_name,
                )
            )
        # the open investigations of the lots before the click: those are joined
        known = self._qc_open_investigations(self.lot_ids, self.company_id)
        investigations = self._qc_open_or_join_investigation(start=True)
        if len(self) == 1:
            action = self.investigation_id.action_open_form()
            if self.investigation_id not in known:
                return action
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "title": self.env._("Lot already under investigation"),
                    "message": self.env._(
                        "%(ticket)s joined %(ref)s, the open investigation of lot %(lots)s: "
                        "no second investigation was opened.",
                        ticket=self.display_name,
                        ref=self.investigation_id.display_name,
                        lots=", ".join(
                            (self.lot_ids & self.investigation_id.lot_ids).mapped("name")
                        ),
                    ),
                    "sticky": False,
                    "next": action,
                },
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Investigations"),
            "res_model": "quality.complaint.investigation",
            "view_mode": "list,form",
            "domain": [("id", "in", investigations.ids)],
        }

    @role(CUSTOMER_SERVICE)
    def action_view_investigation(self):
        self.ensure_one()
        return self.investigation_id.action_open_form()

    @api.model
    def _qc_open_investigations(self, lots, companies):
        """The open investigations (not approved) of ``lots`` in ``companies``."""
        Investigation = self.env["quality.complaint.investigation"].sudo()
        if not lots:
            return Investigation
        return Investigation.search(
            [
                ("state", "in", OPEN_STATES),
                ("lot_ids", "in", lots.ids),
                ("company_id", "in", companies.ids),
            ],
            order="id",
        )

    def _qc_open_or_join_investigation(self, start=False):
        """Attach the complaints to an investigation; return the investigations.

        A complaint on a lot joins the open investigation (not approved) of that
        lot in its company, or opens a new one shared by every complaint of the
        recordset on the same lot (``start``: already in progress, as the
        officer's *Start Investigation* opens it). Complaints already under
        investigation keep theirs. Works on any recordset, e.g. all complaints of
        a lot crossing the batch-defect threshold; runs as superuser so that it
        can be triggered by automatic rules, the callers check who may start
        investigations.
        """
        Investigation = self.env["quality.complaint.investigation"].sudo()
        result = Investigation.browse(self.investigation_id.ids)
        pending = self.sudo().filtered(lambda t: not t.investigation_id)
        if not pending:
            self._qc_move_to_step("investigating")
            return result.sudo(False)
        open_ones = self._qc_open_investigations(pending.lot_ids, pending.company_id)
        for ticket in pending.sorted("id"):
            company = ticket.company_id or self.env.company
            found = open_ones.filtered(
                lambda inv, t=ticket, c=company: inv.company_id == c and inv.lot_ids & t.lot_ids
            )[:1]
            if not found:
                vals = ticket._qc_investigation_vals()
                if start:
                    vals["state"] = "in_progress"
                found = Investigation.create(vals)
                open_ones |= found
            vals = {"investigation_id": found.id}
            ticket.write(vals)
            missing = ticket.lot_ids - found.lot_ids
            if missing or (not found.product_id and ticket.product_id):
                found.write(
                    {
                        "lot_ids": [fields.Command.link(lot.id) for lot in missing],
                        "product_id": found.product_id.id or ticket.product_id.id,
                    }
                )
            found.message_post(
                body=company_env(self.env, found.company_id)._(  # a note for everyone
                    "Complaint %(ticket)s of %(customer)s joined the investigation.",
                    ticket=ticket.display_name,
                    customer=ticket.partner_id.display_name or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
            result |= found
        self._qc_move_to_step("investigating")
        return result.sudo(False)

    def _qc_investigation_vals(self):
        self.ensure_one()
        lots = ", ".join(self.lot_ids.mapped("name"))
        subject = self.product_id.display_name or self.name
        title = (
            self.env._("%(subject)s - lot %(lots)s", subject=subject, lots=lots)
            if lots
            else subject
        )
        return {
            "title": title,
            "company_id": (self.company_id or self.env.company).id,
            "product_id": self.product_id.id,
            "lot_ids": [fields.Command.set(self.lot_ids.ids)],
            "user_id": self.env.user.id if not self.env.user.share else False,
            "description": self.description,
        }

    # ------------------------------------------------------------ stage and portal
    def _qc_missing_for_step(self, stage):
        missing = super()._qc_missing_for_step(stage)
        if missing:
            return missing
        if stage._qc_required_step() == "investigating" and not self.sudo().investigation_id:
            return self.env._("a quality officer must start its investigation first.")
        return False

    @api.depends("investigation_id")
    def _compute_qc_portal_status(self):
        return super()._compute_qc_portal_status()

    def _qc_portal_status_rules(self):
        stage = self.stage_id
        investigating = stage.qc_step == "investigating" or (
            self.complaint_state == "registered" and self.investigation_id
        )
        return [*super()._qc_portal_status_rules(), (50, "investigating", investigating)]
