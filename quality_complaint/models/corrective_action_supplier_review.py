"""Purchasing reviews the supplier's answer; an overdue answer is chased.

- The answer arrives: the reviewing buyer (the action's owner, else the
  purchasing manager) gets an activity "Review the supplier's answer".
- "Accept Answer" closes it; "Reject Answer" asks for the reason (wizard), sends
  it to the supplier (template ``mail_template_supplier_rejection``) and restarts
  the answer clock.
- The clock is late (deadline cron, once per overdue period): the supplier is
  reminded (template ``mail_template_supplier_reminder``) and the purchasing
  manager gets an activity and a note on the action.
"""

from odoo import fields, models
from odoo.exceptions import UserError

from ..roles import OFFICER, PURCHASE, role
from .corrective_action_supplier_const import (
    REVIEW_ACTIVITY,
    SUPPLIER_ACTION_STATES,
    SUPPLIER_ANSWER,
    SUPPLIER_AWAITED,
)

REJECTION_TEMPLATE = "quality_complaint.mail_template_supplier_rejection"
REMINDER_TEMPLATE = "quality_complaint.mail_template_supplier_reminder"


class QualityComplaintActionSupplierReview(models.AbstractModel):
    """Part of ``quality.complaint.action.supplier`` (its fields are there)."""

    _name = "quality.complaint.action.supplier.review"
    _description = "Corrective action: review and reminders of the supplier's answer"

    # ------------------------------------------------------------ people
    def _qca_purchase_managers(self):
        """Who hears of an overdue answer: the company's purchasing manager, else
        the purchase managers of the company."""
        self.ensure_one()
        company = self.company_id
        if company.qc_purchase_manager_id.active:
            return company.qc_purchase_manager_id
        group = self.env.ref("purchase.group_purchase_manager")
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("all_group_ids", "in", group.id),
                    ("company_ids", "in", company.id),
                    ("share", "=", False),
                ],
                order="id",
            )
        )

    def _qca_supplier_reviewer(self):
        """The buyer who reviews the answer: the action's owner, else the purchasing
        manager."""
        self.ensure_one()
        owner = self.user_id
        if owner.active and not owner.share:
            return owner
        return self._qca_purchase_managers()[:1]

    # ------------------------------------------------------------ review
    def _qca_supplier_schedule_review(self):
        activity_type = self.env.ref(REVIEW_ACTIVITY)
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        activities = []
        for action in self:
            reviewer = action._qca_supplier_reviewer()
            if not reviewer:
                continue
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": action.id,
                    "activity_type_id": activity_type.id,
                    "user_id": reviewer.id,
                    "date_deadline": today,
                    "summary": self.with_context(lang=reviewer.lang).env._(
                        "Review the supplier's answer"
                    ),
                }
            )
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            activities
        )

    def _qca_supplier_close_review(self, feedback):
        self._qc_close_activities_of(REVIEW_ACTIVITY, feedback)

    def _qca_check_reviewable(self):
        """Checked reviewer and state; returns the actions to write (sudo'd)."""
        actions = self._qca_check_supplier_user()
        self._qca_check_supplier_state(
            ("answered",),
            self.env._("%(ref)s has no supplier answer to review."),
        )
        return actions

    @role(PURCHASE, OFFICER)
    def action_accept_supplier_answer(self):
        """Purchasing accepts the supplier's root cause and corrective action."""
        actions = self._qca_check_reviewable()
        actions.write(
            {
                "supplier_state": "accepted",
                "supplier_reviewed_by_id": self.env.user.id,
                "supplier_review_date": fields.Datetime.now(),
            }
        )
        actions._qca_supplier_close_review(self.env._("Supplier's answer accepted."))
        actions._message_log_batch(
            dict.fromkeys(self.ids, self.env._("The supplier's answer is accepted."))
        )
        return True

    @role(PURCHASE, OFFICER)
    def action_reject_supplier_answer(self):
        """Ask for the reason of the rejection (wizard)."""
        self.ensure_one()
        self._qca_check_reviewable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject the Supplier's Answer"),
            "res_model": "quality.complaint.supplier.reject.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_action_id": self.id},
        }

    def _qca_supplier_reject(self, reason):
        """Send the answer back to the supplier with ``reason``; a new answer is due
        within the company's answer days."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Say why the answer is rejected: the supplier receives the reason.")
            )
        actions = self._qca_check_reviewable()
        template = self._qca_template(REJECTION_TEMPLATE)
        actions.write(
            {
                "supplier_state": "rejected",
                "supplier_reject_reason": reason,
                "supplier_reviewed_by_id": self.env.user.id,
                "supplier_review_date": fields.Datetime.now(),
            }
        )
        actions._qca_supplier_start_clock()
        actions._qca_supplier_close_review(self.env._("Supplier's answer rejected: %s", reason))
        actions._qca_supplier_post(template)
        return True

    # ------------------------------------------------------------ reminders
    def _qc_deadline_escalate(self, kind, clocks):
        if kind != SUPPLIER_ANSWER:
            return super()._qc_deadline_escalate(kind, clocks)
        late = self.filtered(
            lambda a: a.supplier_state in SUPPLIER_AWAITED and a.state in SUPPLIER_ACTION_STATES
        )
        if not late:
            return None
        template = self.env.ref(REMINDER_TEMPLATE, raise_if_not_found=False)
        if template and template.active:
            late.filtered(lambda a: a.supplier_contact_id.email)._qca_supplier_post(
                template, in_batch=True
            )
        late._qca_supplier_alert_managers()
        return None

    def _qca_supplier_alert_managers(self):
        """An activity for the purchasing manager(s) and a note on each late action."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        activities = []
        notes = {}
        for action in self:
            managers = action._qca_purchase_managers()
            due = (
                action.supplier_answer_due.strftime("%Y-%m-%d")
                if action.supplier_answer_due
                else ""
            )
            for manager in managers:
                env = self.with_context(lang=manager.lang or self.env.lang).env
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": action.id,
                        "activity_type_id": todo.id,
                        "user_id": manager.id,
                        "date_deadline": today,
                        "summary": env._("Supplier's answer overdue"),
                        "note": env._(
                            "%(supplier)s has not answered the corrective action request "
                            "%(ref)s, due on %(date)s: follow it up with the supplier.",
                            supplier=action.partner_id.display_name,
                            ref=action.name,
                            date=due,
                        ),
                    }
                )
            contact = action.supplier_contact_id
            reminded = (
                self.env._("%(contact)s is reminded", contact=contact.display_name)
                if contact.email
                else self.env._("the supplier contact has no e-mail and is not reminded")
            )
            told = (
                self.env._("%(people)s alerted", people=", ".join(managers.mapped("name")))
                if managers
                else self.env._("nobody is alerted: set a purchasing manager in the settings")
            )
            notes[action.id] = self.env._(
                "The supplier's answer was due on %(date)s and is overdue: %(reminded)s, %(told)s.",
                date=due,
                reminded=reminded,
                told=told,
            )
        if activities:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activities
            )
        self._message_log_batch(notes)
