from odoo import api, fields, models
from odoo.exceptions import ValidationError

RETURN_LOCATION_NAME = "Quality Returns"


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------ remedies and call-back
    qc_remedy_approval_limit = fields.Monetary(
        string="Remedy approval limit",
        currency_field="currency_id",
        default=1000.0,
        help="A remedy worth more than this amount (a compensation or refund with its "
        "taxes, goods shipped at their cost, a coupon's discount) needs a quality "
        "manager's approval. 0: no limit.",
    )
    qc_remedy_max_warranty_months = fields.Integer(
        string="Longest warranty extension",
        default=24,
        help="A remedy extends a warranty by this many months at most. 0: no maximum.",
    )
    qc_return_location_id = fields.Many2one(
        "stock.location",
        string="Returned goods location",
        domain="[('usage', '=', 'internal')]",
        help="Where the units picked up from customers are received for quality to "
        "inspect them, apart from the sellable stock (a location is made per company "
        "on install). Empty: the stock of the warehouse that delivered them.",
    )
    qc_accounting_user_id = fields.Many2one(
        "res.users",
        string="Credit notes posted by",
        domain="[('share', '=', False)]",
        help="Who is asked (an activity) to post the credit note of a remedy. Empty: an "
        "invoicing user of the company (Accounting / Invoicing).",
    )
    qc_warehouse_user_id = fields.Many2one(
        "res.users",
        string="Remedy transfers validated by",
        domain="[('share', '=', False)]",
        help="Who is asked (an activity) to validate the pick-up, replacement and gift "
        "transfers of remedies. Empty: an Inventory user of the company who is not in "
        "customer service.",
    )

    qc_followup_days = fields.Integer(
        string="Call-back after (days)",
        default=30,
        help="Customer service calls the customer back this many days after the case "
        "is handled (feedback recorded), to check the problem is solved.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._qc_create_return_locations()
        return companies

    def _qc_create_return_locations(self):
        """A 'Quality Returns' location beside the stock of each company's first
        warehouse, set as where picked-up units are received: returned defective
        units are not mixed with the sellable stock. A company that chose its
        location keeps it."""
        Warehouse = self.env["stock.warehouse"].sudo()
        for company in self.sudo().filtered(lambda c: not c.qc_return_location_id):
            warehouse = Warehouse.search([("company_id", "=", company.id)], order="id", limit=1)
            if not warehouse:
                continue
            location = (
                self.env["stock.location"]
                .sudo()
                .create(
                    {
                        "name": RETURN_LOCATION_NAME,
                        "usage": "internal",
                        "location_id": warehouse.view_location_id.id,
                        "company_id": company.id,
                    }
                )
            )
            company.qc_return_location_id = location

    @api.constrains("qc_remedy_approval_limit", "qc_remedy_max_warranty_months", "qc_followup_days")
    def _check_qc_remedy_numbers(self):
        for company in self:
            if company.qc_remedy_approval_limit < 0:
                raise ValidationError(self.env._("The remedy approval limit cannot be negative."))
            if company.qc_remedy_max_warranty_months < 0:
                raise ValidationError(
                    self.env._("The longest warranty extension cannot be negative.")
                )
            if company.qc_followup_days <= 0:
                raise ValidationError(
                    self.env._("The call-back must be due at least one day after handling.")
                )

    # ------------------------------------------------------------ customer feedback
    qc_feedback_days = fields.Integer(
        string="Result due within (working days)",
        default=1,
        help="Once the last remedy of the plan is executed, the result message is due "
        "to the customer within this many working days of the complaint desk.",
    )
    qc_feedback_max_attempts = fields.Integer(
        string="Attempts to reach the customer",
        default=3,
        help="After this many failed attempts to reach the customer for their "
        "feedback, the feedback is recorded as 'customer unreachable'.",
    )

    @api.constrains("qc_feedback_days", "qc_feedback_max_attempts")
    def _check_qc_feedback_numbers(self):
        for company in self:
            if company.qc_feedback_days <= 0:
                raise ValidationError(
                    self.env._("The result message must be due within at least one working day.")
                )
            if company.qc_feedback_max_attempts <= 0:
                raise ValidationError(
                    self.env._("At least one attempt to reach the customer is needed.")
                )
