"""The hooks of a corrective action, with their no-op defaults: each concern of
the action (root cause, containment, supplier, verification, recurrence) extends
the ones it needs with ``super()``; ``corrective_action.py`` calls them."""

from odoo import models


class QualityComplaintActionHooks(models.AbstractModel):
    """No-op defaults of the hooks the concerns of an action implement."""

    _name = "quality.complaint.action.hooks"
    _description = "Corrective action hooks"

    def _qca_check_vals(self, vals_list, creating=False):
        """Refuse bad values before they are written."""
        return None

    def _qca_on_written(self, vals):
        """React to a change of the fields in ``vals``."""
        return None

    def _qca_on_open(self):
        return None

    def _qca_on_done(self):
        return None

    def _qca_on_reopen(self, reason):
        return None

    def _qca_on_cancel(self):
        return None

    def _qca_done_gaps(self):
        """What is still missing before the action can be marked as done."""
        return []
