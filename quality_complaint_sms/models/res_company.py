from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # Off by default: texting customers costs SMS credits and needs their consent.
    qc_sms_acknowledgement = fields.Boolean(
        string="SMS: complaint received",
        help="The acknowledgement of a registered complaint also goes by SMS to the "
        "customer's mobile, with its reference and the promised contact time.",
    )
    qc_sms_regrade = fields.Boolean(
        string="SMS: new response time",
        help="When a regrade changes the promised response time, the customer is also told by SMS.",
    )
    qc_sms_result = fields.Boolean(
        string="SMS: result of the remedies",
        help="When customer service sends the result of the remedies, the customer also "
        "gets an SMS saying what was done.",
    )
    qc_sms_followup = fields.Boolean(
        string="SMS: call-back day",
        help="When the case is handled, the customer gets an SMS telling the day "
        "customer service will call them back.",
    )
