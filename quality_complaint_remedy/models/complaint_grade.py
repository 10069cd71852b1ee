from odoo import fields, models


class QualityComplaintGrade(models.Model):
    _inherit = "quality.complaint.grade"

    remedy_type_ids = fields.Many2many(
        "quality.complaint.remedy.type",
        "quality_complaint_grade_remedy_type_rel",
        "grade_id",
        "remedy_type_id",
        string="Default remedy plan",
        help="The remedies proposed to the customer of a complaint of this grade "
        "(Propose Plan), with those answering the customer's own request.",
    )
