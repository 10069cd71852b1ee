from odoo import fields, models


class QualityComplaintDeadline(models.Model):
    _inherit = "quality.complaint.deadline"

    kind = fields.Selection(
        selection_add=[("supplier_answer", "Supplier's answer to a corrective action")],
        ondelete={"supplier_answer": "cascade"},
    )
