from odoo import Command
from odoo.tests import tagged

from .common_sla import ComplaintGradingCase


@tagged("post_install", "-at_install")
class TestAssignment(ComplaintGradingCase):
    """Registration gives each complaint to a person: the grade's responsible user
    with the fewest open complaints, else a member of the team; the 'contact the
    customer' activity is the assignee's, the grade's users follow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.qc_batch_threshold = 100000

    def register_batch(self, count, **overrides):
        tickets = self.env["helpdesk.ticket"].create(
            [self.complaint_vals(affected_qty=1, **overrides) for _i in range(count)]
        )
        tickets.action_register_complaint()
        return tickets

    def test_assigned_to_the_grade_users_load_balanced(self):
        # The manager already handles one open complaint.
        self.register(impact_level="safety", user_id=self.manager.id)
        tickets = self.register_batch(3, impact_level="safety")
        assignees = tickets.mapped("user_id")
        self.assertEqual(assignees, self.manager | self.supervisor)
        self.assertEqual(
            len(tickets.filtered(lambda t: t.user_id == self.supervisor)),
            2,
            "the supervisor had fewer open complaints: 2 for him, 1 for the manager",
        )
        for ticket in tickets:
            activity = self.contact_activities(ticket)
            self.assertEqual(activity.user_id, ticket.user_id, "one activity, the assignee's")
            self.assertLessEqual(
                (self.manager | self.supervisor).partner_id, ticket.message_partner_ids
            )

    def test_existing_assignee_is_kept(self):
        ticket = self.register(impact_level="safety", user_id=self.cs_user.id)
        self.assertEqual(ticket.user_id, self.cs_user)
        self.assertEqual(self.contact_activities(ticket).user_id, self.cs_user)
        followers = ticket.message_partner_ids
        self.assertIn(self.manager.partner_id, followers, "the grade's users follow")
        self.assertIn(self.supervisor.partner_id, followers)
        # A regrade leaves a hand-picked assignee alone.
        ticket.impact_level = "cosmetic"
        self.assertEqual(ticket.user_id, self.cs_user)
        self.assertEqual(self.contact_activities(ticket).user_id, self.cs_user)

    def test_team_members_when_the_grade_has_no_users(self):
        self.general.user_ids = [Command.clear()]
        self.team.user_ids = [Command.set((self.cs_user | self.officer).ids)]
        tickets = self.register_batch(2, impact_level="cosmetic")
        self.assertEqual(tickets.mapped("user_id"), self.cs_user | self.officer)
        for ticket in tickets:
            self.assertEqual(self.contact_activities(ticket).user_id, ticket.user_id)

    def test_grade_users_are_the_fallback_without_an_assignee(self):
        ticket = self.register(impact_level="cosmetic")
        self.assertEqual(ticket.user_id, self.supervisor)
        ticket.user_id = False
        # Unassigned by hand: not assigned again, the urgent grade's users each
        # get the activity.
        ticket.impact_level = "safety"
        self.assertFalse(ticket.user_id)
        self.assertEqual(self.contact_activities(ticket).user_id, self.manager | self.supervisor)

    def test_regrade_moves_an_automatic_assignment_still_unanswered(self):
        self.urgent.user_ids = [Command.set(self.manager.ids)]
        ticket = self.register(impact_level="cosmetic")
        self.assertEqual(ticket.user_id, self.supervisor)
        ticket.impact_level = "safety"
        self.assertEqual(ticket.user_id, self.manager, "the urgent grade's user takes over")
        self.assertEqual(self.contact_activities(ticket).user_id, self.manager)
        # Picked by hand, the assignee stays through the next regrades.
        ticket.user_id = self.supervisor
        ticket.impact_level = "cosmetic"
        ticket.impact_level = "safety"
        self.assertEqual(ticket.user_id, self.supervisor)
        self.assertEqual(self.contact_activities(ticket).user_id, self.supervisor)
