"""The supplier's side of an action (SCAR): request, answer on the portal, review, reminders."""

from odoo import models


class QualityComplaintActionSupplier(models.AbstractModel):
    _name = "quality.complaint.action.supplier"
    _description = "Corrective action: supplier answer"
