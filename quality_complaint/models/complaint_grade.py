from odoo import api, fields, models

GRADING_RULES = [
    ("safety", "Safety hazard"),
    ("threat", "Customer threatens regulators or media"),
    ("batch", "Batch defect"),
    ("main_function", "Main function lost"),
    ("high_value", "High-value product"),
]


class QualityComplaintGradeRule(models.Model):
    """A grading rule: the facts behind it are checked in code, its grade is data."""

    _name = "quality.complaint.grade.rule"
    _description = "Complaint Grading Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(GRADING_RULES, required=True, readonly=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "A grading rule exists only once.")


class QualityComplaintGrade(models.Model):
    _name = "quality.complaint.grade"
    _description = "Complaint Grade"
    _order = "level desc, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    level = fields.Integer(
        required=True,
        default=10,
        help="Urgency of the grade: when several rules fire, the grade with the "
        "highest level wins. The lowest level is the grade of complaints no rule "
        "applies to.",
    )
    response_hours = fields.Float(
        string="Response time (working hours)",
        required=True,
        default=8.0,
        help="First contact with the customer is due this many working hours after "
        "registration, on the company's working calendar.",
    )
    response_time_text = fields.Char(string="Response time", compute="_compute_response_time_text")
    rule_ids = fields.Many2many(
        "quality.complaint.grade.rule",
        string="Given by rules",
        help="Complaints for which one of these rules fires get this grade "
        "(unless a more urgent grade fires too).",
    )
    user_ids = fields.Many2many(
        "res.users",
        "quality_complaint_grade_res_users_rel",
        "grade_id",
        "user_id",
        string="Responsible users",
        domain="[('share', '=', False)]",
        help="They receive a 'contact the customer' activity with the deadline.",
    )
    escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalate to",
        domain="[('share', '=', False)]",
        help="Receives an activity and an e-mail when the response deadline is missed.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Customer message",
        domain="[('model', '=', 'helpdesk.ticket')]",
        help="Sent once to the customer when the complaint gets this grade: "
        "'accepted; the person in charge will contact you within X hours'.",
    )
    description = fields.Text(translate=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the grade between companies.",
    )
    active = fields.Boolean(default=True)

    _response_hours_positive = models.Constraint(
        "CHECK(response_hours > 0)",
        "The response time of a grade must be positive.",
    )

    @api.depends_context("lang")
    @api.depends("response_hours")
    def _compute_response_time_text(self):
        for grade in self:
            grade.response_time_text = self.env._("%s hours", f"{grade.response_hours:g}")

    @api.model
    def _qc_grades_for(self, company):
        """Active grades usable by ``company``, most urgent first."""
        return self.search([("company_id", "in", [company.id, False])])
