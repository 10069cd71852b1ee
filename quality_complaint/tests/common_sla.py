from datetime import date, datetime, time, timedelta

from odoo import Command
from odoo.tests import new_test_user

from .common import QualityComplaintCase


class ComplaintGradingCase(QualityComplaintCase):
    """Complaints graded on a desk open Monday-Friday 09:00-18:00 UTC.

    Times are given relative to ``monday``, midnight of a Monday in the coming
    weeks (after the deliveries of the test orders): ``at(-3, 17, 30)`` is the
    Friday before at 17:30.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = date.today()
        cls.monday = datetime.combine(today + timedelta(days=14 - today.weekday()), time())
        cls.urgent = cls.env.ref("quality_complaint.grade_urgent")
        cls.important = cls.env.ref("quality_complaint.grade_important")
        cls.general = cls.env.ref("quality_complaint.grade_general")
        cls.supervisor = new_test_user(
            cls.env,
            login="qc_supervisor",
            name="Sam Supervisor",
            email="sam@example.com",
            groups="quality_complaint.group_complaint_user",
        )
        cls.manager.email = "mia@example.com"
        cls.urgent.write(
            {
                "user_ids": [Command.set((cls.manager | cls.supervisor).ids)],
                "escalation_user_id": cls.manager.id,
            }
        )
        (cls.important | cls.general).write(
            {"user_ids": [Command.set(cls.supervisor.ids)], "escalation_user_id": cls.manager.id}
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Complaint desk",
                "tz": "UTC",
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 18,
                            "day_period": "full_day",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        cls.company.qc_calendar_id = cls.calendar
        cls.awaiting = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        cls.in_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")

    def complaint_vals(self, **overrides):
        """Complaints entered unassigned, for the team (helpdesk_mgmt's default
        would otherwise assign them to the test's user)."""
        return super().complaint_vals(**{"user_id": False, **overrides})

    def at(self, days, hour, minute=0):
        return self.monday + timedelta(days=days, hours=hour, minutes=minute)

    def register(self, **overrides):
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals(**overrides))
        ticket.action_register_complaint()
        return ticket

    def contact_activities(self, ticket):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("quality_complaint.mail_activity_type_contact_customer").id,
                ),
            ]
        )

    def accepted_messages(self, ticket):
        self.send_customer_messages()
        return ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and "new response time" in (m.subject or "")
        )
