"""Effectiveness verification, due once the action is done (SPEC §6)."""

from odoo import models


class QualityComplaintActionVerificationMixin(models.AbstractModel):
    _name = "quality.complaint.action.verification.mixin"
    _description = "Corrective action: verification"
