"""Grading of a complaint (docs/process.md §2): the grade from the facts, with its reasons,
and a quality officer's override."""

from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from ..roles import OFFICER, role

# Changing one of these on a registered complaint grades it again.
GRADING_FACTS = {
    "impact_level",
    "qc_regulator_threat",
    "affected_qty",
    "lot_ids",
    "sale_order_id",
    "sale_line_id",
    "product_id",
}
# Only the grading itself (and a quality officer's override) sets these.
GRADING_PROTECTED = {
    "grade_id",
    "grade_auto_id",
    "grade_reasons",
    "grade_override_id",
    "grade_override_reason",
    "grade_override_user_id",
    "grade_announced_id",
}


class QualityComplaintTicketGrading(models.AbstractModel):
    """Grading concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.grading"
    _description = "Complaint grading"

    # ------------------------------------------------------------ grading facts
    qc_regulator_threat = fields.Boolean(
        groups="base.group_user",
        string="Threatens regulators or media",
        tracking=True,
        copy=False,
        help="The customer threatens to complain to a regulator or to the media.",
    )
    # ------------------------------------------------------------ grade
    grade_id = fields.Many2one(
        "quality.complaint.grade",
        groups="base.group_user",
        ondelete="restrict",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
    )
    grade_color = fields.Integer(related="grade_id.color", groups="base.group_user")
    grade_auto_id = fields.Many2one(
        "quality.complaint.grade",
        groups="base.group_user",
        string="Grade by rules",
        readonly=True,
        copy=False,
        help="The grade the rules give, whatever an override says.",
    )
    grade_reasons = fields.Text(
        groups="base.group_user",
        string="Why this grade",
        readonly=True,
        copy=False,
        help="The grading rules that fired, one per line.",
    )
    grade_override_id = fields.Many2one(
        "quality.complaint.grade",
        groups="base.group_user",
        string="Grade set by quality",
        readonly=True,
        copy=False,
        tracking=True,
    )
    grade_override_reason = fields.Text(
        groups="base.group_user", string="Override reason", readonly=True, copy=False, tracking=True
    )
    grade_override_user_id = fields.Many2one(
        "res.users",
        string="Overridden by",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )

    # ------------------------------------------------------------ grading
    def _qc_unit_value(self):
        """Highest unit price (tax excluded, discount deducted) of the complained
        order lines, in company currency at the order date."""
        self.ensure_one()
        company = self.company_id or self.env.company
        value = 0.0
        for line in self._qc_order_lines():
            order = line.order_id
            price = line.price_reduce_taxexcl if line.product_uom_qty else line.price_unit
            date = (order.date_order or fields.Datetime.now()).date()
            converted = order.currency_id._convert(price, company.currency_id, company, date)
            value = max(value, converted)
        return value

    def _qc_lot_totals(self):
        """Affected quantity per (company, lot) over the registered complaints of the
        batch window, for the lots of ``self``, in one query per company."""
        totals = {}
        now = fields.Datetime.now()
        for company in self.company_id:
            tickets = self.filtered(lambda t, c=company: t.company_id == c)
            lots = tickets.lot_ids
            if not lots:
                continue
            groups = self.sudo()._read_group(
                [
                    ("is_quality_complaint", "=", True),
                    ("complaint_state", "=", "registered"),
                    ("company_id", "=", company.id),
                    ("lot_ids", "in", lots.ids),
                    ("registered_date", ">=", now - timedelta(days=company.qc_batch_window_days)),
                ],
                ["lot_ids"],
                ["affected_qty:sum"],
            )
            for lot, qty in groups:
                if lot in lots:
                    totals[company.id, lot.id] = qty
        return totals

    def _qc_fired_rules(self, lot_totals):
        """The rules that fire for this complaint: {rule code: reason}."""
        self.ensure_one()
        company = self.company_id
        fired = {}
        if self.impact_level == "safety":
            fired["safety"] = self.env._("Safety hazard reported by the customer.")
        if self.qc_regulator_threat:
            fired["threat"] = self.env._("The customer threatens to go to regulators or the media.")
        for lot in self.lot_ids:
            qty = lot_totals.get((company.id, lot.id), 0.0)
            if float_compare(qty, company.qc_batch_threshold, precision_digits=6) >= 0:
                fired["batch"] = self.env._(
                    "Batch defect: %(qty)s units affected on lot %(lot)s within "
                    "%(days)s days (threshold %(threshold)s).",
                    qty=f"{qty:g}",
                    lot=lot.name,
                    days=company.qc_batch_window_days,
                    threshold=f"{company.qc_batch_threshold:g}",
                )
                break
        if self.impact_level == "main_function":
            fired["main_function"] = self.env._("The product's main function is lost.")
        value = self._qc_unit_value()
        threshold = company.qc_high_value_threshold
        if float_compare(value, threshold, precision_digits=2) >= 0:
            fired["high_value"] = self.env._(
                "High-value product: unit value %(value)s %(currency)s (threshold %(threshold)s).",
                value=f"{value:,.2f}",
                currency=company.currency_id.name,
                threshold=f"{threshold:,.2f}",
            )
        return fired

    def _qc_grade_from_rules(self, fired, grades):
        """(grade, reasons text) for the fired rules among ``grades`` (most urgent first)."""
        self.ensure_one()
        lines = []
        best = self.env["quality.complaint.grade"]
        for grade in grades:
            for rule in grade.rule_ids:
                if rule.code in fired:
                    lines.append(f"{grade.name}: {fired.pop(rule.code)}")
                    best = best or grade
        if not best:
            best = grades[-1:]
            if best:
                lines.append(
                    self.env._(
                        "%(grade)s: no urgent or important fact (cosmetic or minor issue).",
                        grade=best.name,
                    )
                )
        return best, "\n".join(lines)

    def _qc_grade(self):
        """Grade the registered complaints of ``self`` from their facts.

        A complaint that makes one of its lots a batch defect upgrades every open
        complaint on that lot. Changed grades get new deadlines and are dispatched.
        """
        complaints = self.filtered(
            lambda t: t.is_quality_complaint and t.complaint_state == "registered"
        )
        if not complaints:
            return
        lot_totals = complaints._qc_lot_totals()
        over_lots = self.env["stock.lot"].browse(
            [
                lot_id
                for (company_id, lot_id), qty in lot_totals.items()
                if float_compare(
                    qty,
                    self.env["res.company"].browse(company_id).qc_batch_threshold,
                    precision_digits=6,
                )
                >= 0
            ]
        )
        if over_lots:
            siblings = self.search(
                [
                    ("is_quality_complaint", "=", True),
                    ("complaint_state", "=", "registered"),
                    ("lot_ids", "in", over_lots.ids),
                    ("stage_id.closed", "=", False),
                    ("id", "not in", complaints.ids),
                ]
            )
            if siblings:
                complaints |= siblings
                lot_totals = complaints._qc_lot_totals()
        grades_by_company = {}
        previous = {}
        for ticket in complaints:
            company = ticket.company_id
            if company not in grades_by_company:
                grades_by_company[company] = self.env["quality.complaint.grade"]._qc_grades_for(
                    company
                )
            fired = ticket._qc_fired_rules(lot_totals)
            auto, reasons = ticket._qc_grade_from_rules(fired, grades_by_company[company])
            grade = ticket.grade_override_id or auto
            if ticket.grade_override_id:
                reasons += "\n" + self.env._(
                    "Overridden to %(grade)s by %(user)s: %(reason)s",
                    grade=ticket.grade_override_id.name,
                    user=ticket.grade_override_user_id.name or "-",
                    reason=ticket.grade_override_reason or "",
                )
            vals = {}
            if ticket.grade_auto_id != auto:
                vals["grade_auto_id"] = auto.id
            if ticket.grade_reasons != reasons:
                vals["grade_reasons"] = reasons
            if ticket.grade_id != grade:
                previous[ticket.id] = ticket.grade_id
                vals["grade_id"] = grade.id
            if vals:
                ticket.sudo().write(vals)
        changed = complaints.filtered(lambda t: t.id in previous)
        changed._qc_sla_plan()
        changed._qc_dispatch()
        over_lots._qc_alert_batch_defect(complaints)

    # ------------------------------------------------------------ overrides
    @role(OFFICER, refusal="_qc_check_may_override")
    def action_open_grade_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Grade"),
            "res_model": "quality.complaint.grade.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _qc_check_may_override(self):
        if not self.env.user.has_group("quality_complaint.group_complaint_officer"):
            raise AccessError(self.env._("Only a quality officer can override or clear a grade."))

    def _qc_override_grade(self, grade, reason):
        """A quality officer sets the grade, with a reason; the rules keep theirs."""
        self.ensure_one()
        self._qc_check_may_override()
        if self.complaint_state != "registered":
            raise UserError(
                self.env._(
                    "%(ticket)s is not registered yet: it has no grade to override.",
                    ticket=self.display_name,
                )
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the override."))
        self.sudo().write(
            {
                "grade_override_id": grade.id,
                "grade_override_reason": reason,
                "grade_override_user_id": self.env.user.id,
            }
        )
        self.message_post(
            body=self.env._(
                "Grade overridden to %(grade)s by %(user)s: %(reason)s",
                grade=grade.name,
                user=self.env.user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._qc_grade()

    @role(OFFICER, refusal="_qc_check_may_override")
    def action_clear_grade_override(self):
        self._qc_check_may_override()
        tickets = self.filtered("grade_override_id")
        for ticket in tickets:
            ticket.message_post(
                body=self.env._(
                    "Grade override %(grade)s cleared: the rules grade the complaint again.",
                    grade=ticket.grade_override_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        tickets.sudo().write(
            {
                "grade_override_id": False,
                "grade_override_reason": False,
                "grade_override_user_id": False,
            }
        )
        tickets._qc_grade()
        return True
