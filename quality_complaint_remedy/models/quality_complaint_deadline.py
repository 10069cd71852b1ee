from odoo import fields, models


class QualityComplaintDeadline(models.Model):
    _inherit = "quality.complaint.deadline"

    kind = fields.Selection(
        selection_add=[
            ("feedback", "Result of the remedies to the customer"),
            ("followup", "Customer call-back"),
        ],
        ondelete={"feedback": "cascade", "followup": "cascade"},
    )
