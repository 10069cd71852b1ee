from odoo.addons.quality_complaint.tests.common_sla import ComplaintGradingCase
from odoo.tests import new_test_user


def execute_remedy(ticket, user, name="Cleaning instructions"):
    """A remedy on ``ticket``, approved by ``user`` and carried out: its line is
    under way, as Execute leaves it, and its document done, as the document's
    concern reports it (``_qc_document_done``)."""
    remedy = (
        ticket.env["quality.complaint.remedy"]
        .with_user(user)
        .create(
            {
                "ticket_id": ticket.id,
                "type_id": ticket.env.ref("quality_complaint_remedy.remedy_type_instructions").id,
                "name": name,
            }
        )
    )
    remedy.action_approve()
    remedy.sudo().write({"state": "in_progress"})
    remedy._qc_document_done()
    return remedy


def give_what_closing_needs(ticket, user):
    """Remedy executed, customer satisfied, call-back done: the complaint may close."""
    execute_remedy(ticket, user)
    mine = ticket.with_user(user)
    mine._qc_record_feedback("satisfied")
    mine._qc_on_case_handled()
    mine._qc_record_followup("solved")


class FollowupCase(ComplaintGradingCase):
    """Complaints registered and contacted by customer service, whose team has a
    department head and whose company has a quality manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.registered_stage = ref("quality_complaint.stage_complaint_registered")
        cls.investigating = ref("quality_complaint.stage_complaint_investigating")
        cls.followup_stage = ref("quality_complaint.stage_complaint_followup")
        cls.closed_stage = ref("quality_complaint.stage_complaint_closed")
        cls.cancelled = ref("quality_complaint.stage_complaint_cancelled")
        cls.head = new_test_user(
            cls.env,
            login="qc_head",
            name="Hana Head",
            groups="quality_complaint.group_complaint_user",
        )
        cls.team.qc_department_head_id = cls.head
        cls.company.qc_quality_manager_id = cls.manager
        cls.Deadline = cls.env["quality.complaint.deadline"]
        # The demo complaints' clocks are someone else's business in these tests.
        cls.Deadline.search([("next_check", "!=", False)]).next_check = False

    def contacted_complaint(self, **overrides):
        """A complaint customer service registered and whose customer was contacted."""
        Ticket = self.env["helpdesk.ticket"].with_user(self.cs_user)
        ticket = Ticket.create(self.complaint_vals(**overrides))
        ticket.action_register_complaint()
        ticket.action_contacted_customer()
        return ticket

    def handle(self, ticket):
        """Remedy executed, the customer satisfied: the case is handled."""
        execute_remedy(ticket, self.cs_user)
        mine = ticket.with_user(self.cs_user)
        mine._qc_record_feedback("satisfied")
        mine._qc_on_case_handled()

    def callback_activities(self, ticket):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("quality_complaint_remedy.mail_activity_type_followup_call").id,
                ),
            ]
        )

    def activities_of(self, ticket, user, summary):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("user_id", "=", user.id),
                ("summary", "=", summary),
            ]
        )
