"""Dispatch of a graded complaint (SPEC §2): the grade's responsible users get an
activity with the deadline; the customer's message is queued."""

from odoo import fields, models

CONTACT_ACTIVITY = "quality_complaint.mail_activity_type_contact_customer"


class QualityComplaintTicketDispatch(models.AbstractModel):
    """Dispatch concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.dispatch"
    _description = "Complaint dispatch"

    # ------------------------------------------------------------ dispatch
    def _qc_dispatch(self):
        """Activities for the grade's responsible users, the customer's message.

        Only what changed: users already holding the activity keep it (with the new
        deadline), users no longer responsible lose it, the customer hears once per
        grade.
        """
        tickets = self.filtered(lambda t: t.grade_id and not t.first_response_date)
        if not tickets:
            return
        activity_type = self.env.ref(CONTACT_ACTIVITY)
        existing = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", tickets.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        to_create = []
        obsolete = self.env["mail.activity"]
        for ticket in tickets:
            users = ticket.grade_id.user_ids or ticket.user_id
            mine = existing.filtered(lambda a, t=ticket: a.res_id == t.id)
            keep = mine.filtered(lambda a, u=users: a.user_id in u)
            obsolete |= mine - keep
            for activity in keep:
                activity.with_context(mail_activity_quick_update=True).write(
                    ticket._qc_contact_activity_values(activity.user_id)
                )
            for user in users - keep.user_id:
                to_create.append(
                    {
                        "res_model_id": model_id,
                        "res_id": ticket.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "note": ticket.grade_reasons,
                        **ticket._qc_contact_activity_values(user),
                    }
                )
        obsolete.unlink()
        if to_create:
            activities = (
                self.env["mail.activity"]
                .sudo()
                .with_context(mail_activity_quick_update=True)
                .create(to_create)
            )
            activities._qc_notify_assignees()
        tickets.filtered(lambda t: t.grade_id != t.grade_announced_id)._qc_queue_customer_messages()

    def _qc_contact_activity_values(self, user):
        """Summary and due date of ``user``'s 'contact the customer' activity, in
        the user's language and time zone."""
        self.ensure_one()
        deadline = self._qc_time_formatter(user.tz)(self)
        env = self.with_context(lang=user.lang or self.env.lang).env
        return {
            "summary": env._(
                "%(grade)s: contact the customer by %(deadline)s",
                grade=self.grade_id.with_env(env).name,
                deadline=deadline,
            ),
            "date_deadline": fields.Date.context_today(
                self.with_context(tz=user.tz or "UTC"), self.response_deadline
            ),
        }
