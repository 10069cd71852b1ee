from odoo import fields, models


class QualityComplaintDefectCategory(models.Model):
    _name = "quality.complaint.defect.category"
    _description = "Defect Category"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code used in reports, e.g. COS, FUNC, SAFE.")
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    evidence_required = fields.Boolean(
        help="Registration of a complaint in this category needs at least one "
        "photo, video or test report attached (e.g. scratches, leaks).",
    )
    confirmation_hint = fields.Char(
        translate=True,
        help="What customer service must re-confirm with the customer for this "
        "kind of defect, shown on the registration checklist "
        "(e.g. 'photos of the scratch from two angles').",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the category between companies.",
    )
    color = fields.Integer()

    _code_company_uniq = models.Constraint(
        "UNIQUE(code, company_id)",
        "A defect category code must be unique per company.",
    )
