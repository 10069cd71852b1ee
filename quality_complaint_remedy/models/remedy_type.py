"""Kinds of customer remedy (docs/process.md §4): data a company edits. Each kind says which
Odoo document carries it out (its action) and what it proposes by default."""

from odoo import api, fields, models
from odoo.addons.quality_complaint.models.helpdesk_ticket import CUSTOMER_REQUESTS
from odoo.exceptions import ValidationError

# The document each action produces; bridges add theirs (repair order, coupon).
REMEDY_ACTIONS = [
    ("return", "Pick-up of the defective units (return transfer)"),
    ("replacement", "Replacement shipment (free delivery)"),
    ("gift", "Gift shipment (free delivery)"),
    ("credit_note", "Compensation or refund (credit note)"),
    ("warranty", "Warranty extension (on the serial/lot)"),
    ("instructions", "Instructions (message to the customer)"),
]


class QualityComplaintRemedyType(models.Model):
    _name = "quality.complaint.remedy.type"
    _description = "Customer remedy type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    action = fields.Selection(
        REMEDY_ACTIONS,
        required=True,
        help="The Odoo document that carries the remedy out when it is executed.",
    )
    description = fields.Text(
        translate=True, help="Proposed as the description of the remedy line."
    )
    customer_request = fields.Selection(
        CUSTOMER_REQUESTS,
        string="Answers the customer's request",
        help="Proposed in the plan whenever the customer asks for this, whatever the grade.",
    )
    collect_goods = fields.Boolean(
        string="Collect the defective units",
        help="The plan also proposes picking the defective units up (a return "
        "transfer) when it holds this remedy. A credit note that collects the units "
        "is a refund: it reverses the customer's invoice of those units (its price "
        "after discount, its taxes, its currency).",
    )
    product_id = fields.Many2one(
        "product.product",
        help="Gift: the product shipped. Empty: the complaint's product.",
    )
    default_amount = fields.Float(
        string="Amount",
        help="Compensation: the amount proposed, in the currency below (else the "
        "company's). Coupon: the discount in percent.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        string="Compensation currency",
        help="Compensation: the currency it is credited in. Empty: the company's "
        "currency. A refund is always in the currency of the invoice it reverses.",
    )
    warranty_months = fields.Integer(
        string="Warranty extension (months)", help="Added to the warranty of the serial/lot."
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Message",
        domain="[('model', '=', 'quality.complaint.remedy')]",
        help="Instructions: the message sent to the customer, with its attachments.",
    )
    grade_ids = fields.Many2many(
        "quality.complaint.grade",
        "quality_complaint_grade_remedy_type_rel",
        "remedy_type_id",
        "grade_id",
        string="Proposed for grades",
    )
    company_id = fields.Many2one("res.company", index=True)
    active = fields.Boolean(default=True)

    @api.constrains("default_amount", "warranty_months")
    def _check_amounts(self):
        for kind in self:
            if kind.default_amount < 0 or kind.warranty_months < 0:
                raise ValidationError(
                    self.env._("A remedy type's amount and warranty months cannot be negative.")
                )
