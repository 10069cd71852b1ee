"""Containment: the lots of an open containment action are on hold (SPEC §4)."""

from odoo import models


class QualityComplaintActionContainment(models.AbstractModel):
    _name = "quality.complaint.action.containment"
    _description = "Corrective action: containment"
