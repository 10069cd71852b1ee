"""A manufacturing order named by corrective actions (corrective_action.py):
cancelled or deleted in Manufacturing, the actions and their complaints say so."""

from odoo import models
from odoo.addons.quality_complaint.lang import company_envs


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    def action_cancel(self):
        result = super().action_cancel()
        self.filtered(lambda mo: mo.state == "cancel")._qc_note_actions("cancelled")
        return result

    def unlink(self):
        # Odoo cancels the orders it deletes (said once, as deleted); named while
        # they can still be read
        self._qc_note_actions("deleted")
        return super(MrpProduction, self.with_context(qc_production_deleting=True)).unlink()

    def _qc_note_actions(self, how):
        """Note on the corrective actions naming these orders, and on their
        complaints, that the orders were cancelled or deleted (``how``). As
        superuser, for the notes only: the MRP user need not read actions."""
        if not self or (how == "cancelled" and self.env.context.get("qc_production_deleting")):
            return
        actions = (
            self.env["quality.complaint.action"].sudo().search([("production_ids", "in", self.ids)])
        )
        if not actions:
            return
        bodies = {}
        envs = company_envs(self.env, actions)  # notes for everyone
        for action in actions:
            env = envs[action.company_id]
            orders = ", ".join((action.production_ids & self.sudo()).mapped("name"))
            bodies[action] = (
                env._(
                    "Manufacturing order %(orders)s of corrective action %(action)s was deleted.",
                    orders=orders,
                    action=action.name,
                )
                if how == "deleted"
                else env._(
                    "Manufacturing order %(orders)s of corrective action %(action)s was cancelled.",
                    orders=orders,
                    action=action.name,
                )
            )
        actions._qc_log_with_complaints(bodies)
