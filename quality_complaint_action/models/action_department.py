from odoo import fields, models


class QualityComplaintDepartment(models.Model):
    """A department that owns corrective actions (purchasing, production, ...)."""

    _name = "quality.complaint.department"
    _description = "Department owning corrective actions"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Head",
        domain="[('share', '=', False)]",
        help="Owns the actions proposed to this department, unless another owner is given.",
    )
    action_ids = fields.One2many("quality.complaint.action", "department_id", string="Actions")
