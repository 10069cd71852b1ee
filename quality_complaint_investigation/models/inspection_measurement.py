from odoo import fields, models


class QualityComplaintInspectionMeasurement(models.Model):
    _name = "quality.complaint.inspection.measurement"
    _inherit = ["quality.complaint.investigation.part"]
    _investigation_parent = "inspection_id"
    _description = "Measured value on an inspected unit"
    _order = "inspection_id, sequence, id"

    inspection_id = fields.Many2one(
        "quality.complaint.inspection", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Characteristic", required=True, help="e.g. scratch length")
    value = fields.Float(digits=(16, 3))
    unit = fields.Char(help="e.g. mm")
    specification = fields.Char(help="e.g. no scratch over 2 mm")
