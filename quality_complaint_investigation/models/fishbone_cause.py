from odoo import api, fields, models
from odoo.exceptions import ValidationError

CAUSE_CATEGORIES = [
    ("man", "Man"),
    ("machine", "Machine"),
    ("material", "Material"),
    ("method", "Method"),
    ("environment", "Environment"),
    ("measurement", "Measurement"),
]


class QualityComplaintFishboneCause(models.Model):
    _name = "quality.complaint.fishbone.cause"
    _inherit = ["quality.complaint.investigation.part"]
    _description = "Fishbone (Ishikawa) cause"
    _rec_name = "description"
    _order = "investigation_id, category, sequence, id"

    investigation_id = fields.Many2one(
        "quality.complaint.investigation", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    category = fields.Selection(CAUSE_CATEGORIES, required=True, default="man")
    description = fields.Char(string="Cause", required=True)
    is_root_cause = fields.Boolean(string="Root cause")

    @api.constrains("description")
    def _check_description(self):
        for cause in self:
            if not (cause.description or "").strip():
                raise ValidationError(self.env._("A fishbone cause needs a description."))
