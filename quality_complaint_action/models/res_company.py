from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    qc_verification_days = fields.Integer(
        string="Verification due within (days)",
        default=7,
        help="Once a corrective action is done, quality verifies within this many days "
        "that it works.",
    )
    qc_recurrence_days = fields.Integer(
        string="Recurrence window (days)",
        default=180,
        help="A complaint on the same product, or on lots of the same supplier with the "
        "same defect, registered within this many days after an action was verified "
        "effective is a recurrence.",
    )

    @api.constrains("qc_verification_days", "qc_recurrence_days")
    def _check_qc_action_numbers(self):
        for company in self:
            if company.qc_verification_days <= 0:
                raise ValidationError(
                    self.env._("The verification must be due within at least one day.")
                )
            if company.qc_recurrence_days <= 0:
                raise ValidationError(self.env._("The recurrence window must be at least one day."))
