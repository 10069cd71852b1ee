from odoo import fields, models


class QualityComplaintDeadline(models.Model):
    _inherit = "quality.complaint.deadline"

    kind = fields.Selection(
        selection_add=[("verification", "Verification of a corrective action")],
        ondelete={"verification": "cascade"},
    )
