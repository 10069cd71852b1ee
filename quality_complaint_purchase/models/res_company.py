from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    qc_supplier_answer_days = fields.Integer(
        string="Supplier answer due within (days)",
        default=7,
        help="A supplier answers a corrective action request within this many days; "
        "after that it is reminded and the purchasing manager is alerted.",
    )
    qc_purchase_manager_id = fields.Many2one(
        "res.users",
        string="Purchasing manager",
        domain="[('share', '=', False)]",
        help="Alerted when a supplier's answer to a corrective action is overdue. "
        "Empty: the company's purchase managers.",
    )

    @api.constrains("qc_supplier_answer_days")
    def _check_qc_supplier_answer_days(self):
        for company in self:
            if company.qc_supplier_answer_days <= 0:
                raise ValidationError(
                    self.env._("The supplier's answer must be due within at least one day.")
                )
