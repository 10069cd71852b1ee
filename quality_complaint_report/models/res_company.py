from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------ monthly review
    qc_review_working_day = fields.Integer(
        string="Monthly review on working day",
        default=1,
        help="Last month's quality review is prepared on this working day of the month "
        "(on the complaint desk's working calendar, public holidays excluded).",
    )

    @api.constrains("qc_review_working_day")
    def _check_qc_review_working_day(self):
        for company in self:
            if not 1 <= company.qc_review_working_day <= 20:
                raise ValidationError(
                    self.env._("The monthly review day must be a working day between 1 and 20.")
                )

    def _qc_review_day(self, month_start):
        """The company's review day in the month of ``month_start``: its Nth
        working day (the last one when the month has fewer)."""
        self.ensure_one()
        first = month_start.replace(day=1)
        days = self._qc_working_days(first, first + relativedelta(months=1, days=-1))
        if not days:
            return first
        return days[min(max(self.qc_review_working_day, 1), len(days)) - 1]
