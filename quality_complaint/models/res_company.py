from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    qc_first_contact_hours = fields.Integer(
        string="First contact promise (hours)",
        default=24,
        help="Promised in the acknowledgement sent on registration: "
        "'we will contact you within N hours'.",
    )
    qc_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Quality complaints team",
        help="Helpdesk team that receives the complaints reported from sale "
        "orders and tickets converted to complaints.",
    )
    qc_vague_terms = fields.Char(
        string="Vague wording",
        default="does not work, doesn't work, not working, broken, bad, "
        "faulty, defective, scratched, damaged",
        help="Comma-separated phrases that make a defect description vague: "
        "when the description is short and uses one of them, the "
        "registration checklist asks to re-confirm the details with the "
        "customer.",
    )
    qc_min_description_words = fields.Integer(
        string="Minimum words in a precise description",
        default=8,
    )

    @api.constrains("qc_first_contact_hours", "qc_min_description_words")
    def _check_qc_numbers(self):
        for company in self:
            if company.qc_first_contact_hours <= 0:
                raise ValidationError(
                    self.env._("The first contact promise must be a positive number of hours.")
                )
            if company.qc_min_description_words < 0:
                raise ValidationError(self.env._("The minimum number of words cannot be negative."))

    def _qc_vague_terms(self):
        self.ensure_one()
        return [t.strip().lower() for t in (self.qc_vague_terms or "").split(",") if t.strip()]
