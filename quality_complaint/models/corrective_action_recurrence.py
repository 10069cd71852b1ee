"""Recurrence: complaints that come back after an action was verified effective."""

from odoo import models


class QualityComplaintActionRecurrence(models.AbstractModel):
    _name = "quality.complaint.action.recurrence"
    _description = "Corrective action: recurrence"
