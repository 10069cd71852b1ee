"""The coupon remedy (docs/process.md §4, §5): a coupon of Odoo's Loyalty programs, issued
to the customer for the next purchase. The coupon exists as soon as it is
issued, so the remedy is executed at once; its code is what the customer is
told."""

from dateutil.relativedelta import relativedelta

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_date


class QualityComplaintRemedy(models.Model):
    _inherit = "quality.complaint.remedy"

    coupon_id = fields.Many2one("loyalty.card", readonly=True, copy=False)

    # ------------------------------------------------------------ executor
    def _qc_execute_coupon(self):
        """Issue a coupon of the remedy type's program to the customer."""
        self.ensure_one()
        reward = self._qc_coupon_reward()
        ticket = self.ticket_id
        # Customer service executes remedies but may not create coupons (sales
        # managers do). action_execute has checked the remedy (approved,
        # executed once, its line valid for the program): the coupon is made
        # for this customer only, with the program's own wizard.
        wizard = (
            self.env["loyalty.generate.wizard"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "program_id": reward.program_id.id,
                    "mode": "selected",
                    "customer_ids": [Command.set(self.partner_id.ids)],
                    "points_granted": reward.required_points,
                    "valid_until": self._qc_coupon_expiry(),
                    "description": self.env._(
                        "Complaint %(complaint)s: %(remedy)s",
                        complaint=ticket.number or ticket.name,
                        remedy=self.name,
                    ),
                }
            )
        )
        coupon = wizard.generate_coupons()
        # the remedy's own document, written as its action (protected field)
        self.sudo().write({"coupon_id": coupon.id, "percent": reward.discount})
        self._qc_document_done()

    def _qc_coupon_reward(self):
        """The program's percentage discount the coupon gives; a clear message
        when the line cannot be carried out by it."""
        self.ensure_one()
        # sudo: the remedy type names the program; a program of a company the user
        # is not in is read to say so, not to use it
        program = self.type_id.loyalty_program_id.sudo()
        if not self.partner_id:
            raise UserError(
                self.env._("%s: the complaint has no customer to issue the coupon to.", self.name)
            )
        if not program.active:
            raise UserError(
                self.env._(
                    "%(remedy)s: the remedy type %(type)s has no active coupon program.",
                    remedy=self.name,
                    type=self.type_id.name,
                )
            )
        if program.company_id and program.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "%(remedy)s: the coupon program %(program)s belongs to %(company)s, "
                    "the complaint to %(complaint_company)s.",
                    remedy=self.name,
                    program=program.name,
                    company=program.company_id.name,
                    complaint_company=self.company_id.name,
                )
            )
        if program.date_to and program.date_to < fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "%(remedy)s: the coupon program %(program)s ended on %(date)s.",
                    remedy=self.name,
                    program=program.name,
                    date=format_date(self.env, program.date_to),
                )
            )
        rewards = program.reward_ids.filtered(
            lambda r: r.reward_type == "discount" and r.discount_mode == "percent"
        )
        if len(rewards) != 1:
            raise UserError(
                self.env._(
                    "%(remedy)s: the coupon program %(program)s must give one discount in percent.",
                    remedy=self.name,
                    program=program.name,
                )
            )
        # The program, not the line, decides what a coupon gives: a line asking
        # for another discount is refused rather than silently changed.
        if self.percent and float_compare(self.percent, rewards.discount, precision_digits=2):
            raise UserError(
                self.env._(
                    "%(remedy)s: the coupon program %(program)s gives %(program_percent)s %% "
                    "off, not %(percent)s %%. Set the discount to %(program_percent)s %% or "
                    "choose a remedy type whose program gives %(percent)s %%.",
                    remedy=self.name,
                    program=program.name,
                    program_percent=f"{rewards.discount:g}",
                    percent=f"{self.percent:g}",
                )
            )
        return rewards

    def _qc_coupon_expiry(self):
        """The coupon's last day: the remedy type's validity, within the program's."""
        self.ensure_one()
        months = self.type_id.coupon_validity_months
        expiry = months and fields.Date.context_today(self) + relativedelta(months=months)
        end = self.type_id.loyalty_program_id.date_to
        if end and (not expiry or end < expiry):
            expiry = end
        return expiry or False

    # ------------------------------------------------------------ hooks
    def _qc_check_executable(self):
        result = super()._qc_check_executable()
        for remedy in self.filtered(lambda r: r.action == "coupon"):
            remedy._qc_coupon_reward()
        return result

    def _qc_cost(self):
        # the discount is granted on the customer's next order and accounted there
        if self.action == "coupon":
            return 0.0
        return super()._qc_cost()

    def _qc_value_company_currency(self, untaxed=False):
        """A coupon is worth its discount on the complained product bought again."""
        if self.action != "coupon":
            return super()._qc_value_company_currency(untaxed=untaxed)
        line = self.ticket_id.sale_line_id
        if not line:
            return self.ticket_id.product_id.lst_price * self.percent / 100.0
        company = self.company_id or self.env.company
        price = line.currency_id._convert(
            line.price_reduce_taxexcl if untaxed else line.price_reduce_taxinc,
            company.currency_id,
            company,
            fields.Date.today(),
        )
        return price * self.percent / 100.0

    def _qc_document_facts(self):
        if self.action != "coupon" or not self.coupon_id:
            return super()._qc_document_facts()
        # who reads the remedy reads what the customer is told of it
        coupon = self.coupon_id.sudo()
        if coupon.expiration_date:
            info = self.env._(
                "coupon code %(code)s, %(percent)s %% off your next purchase, valid until %(date)s",
                code=coupon.code,
                percent=f"{self.percent:g}",
                date=format_date(self.env, coupon.expiration_date),
            )
        else:
            info = self.env._(
                "coupon code %(code)s, %(percent)s %% off your next purchase",
                code=coupon.code,
                percent=f"{self.percent:g}",
            )
        return coupon.code, info

    def _qc_documents_action(self):
        coupon_lines = self.filtered("coupon_id")
        others = self - coupon_lines
        action = super(QualityComplaintRemedy, others)._qc_documents_action() if others else False
        if action or not coupon_lines:
            return action
        coupons = coupon_lines.coupon_id
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Coupons"),
            "res_model": "loyalty.card",
            "context": {"create": False},
        }
        if len(coupons) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=coupons.id)
        else:
            action.update(
                view_mode="list,form",
                views=[(False, "list"), (False, "form")],
                domain=[("id", "in", coupons.ids)],
            )
        return action

    def _qc_document_link(self):
        self.ensure_one()
        if self.action != "coupon" or not self.coupon_id:
            return super()._qc_document_link()
        return "coupon_id", self.env._("Coupon %(code)s", code=self.coupon_id.sudo().code)

    def _qc_cancel_documents(self):
        issued = self.filtered("coupon_id")
        if issued:
            raise UserError(
                self.env._(
                    "%(remedies)s: the coupon %(codes)s is issued to the customer; an issued "
                    "coupon is not cancelled. Archive it in Sales if it must no longer be used.",
                    remedies=", ".join(issued.mapped("name")),
                    codes=", ".join(issued.coupon_id.sudo().mapped("code")),
                )
            )
        return super()._qc_cancel_documents()

    def _qc_protected(self):
        return super()._qc_protected() | {"coupon_id"}
