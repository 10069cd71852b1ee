from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
    qc_sms_followup_reminder = fields.Boolean(
        string="SMS: call-back reminder",
        help="Before the call-back day, the customer is reminded by SMS that customer "
        "service will call them.",
    )
    qc_sms_followup_reminder_days = fields.Integer(
        string="Call-back reminder (days before)",
        default=1,
        help="How many days before the call-back day the reminder SMS goes (0: on the day itself).",
    )

    @api.constrains("qc_sms_followup_reminder_days")
    def _check_qc_sms_followup_reminder_days(self):
        if any(company.qc_sms_followup_reminder_days < 0 for company in self):
            raise ValidationError(
                self.env._(
                    "The call-back reminder is sent 0 or more days before the call-back day."
                )
            )
