"""Beside the OCA helpdesk family: helpdesk_product's product is the complaint's,
helpdesk_mgmt_rating's rating is the one the result asks for, and OCA's own ticket
tests pass with our models loaded (run here, after the install, rather than at
their module's install, when ours are not loaded yet)."""

import re

from lxml import etree

from odoo.addons.helpdesk_mgmt.tests import test_helpdesk_ticket, test_helpdesk_ticket_team
from odoo.addons.helpdesk_mgmt_rating.tests import (
    test_helpdesk_mgmt_rating,
)
from odoo.addons.helpdesk_mgmt_rating.tests import (
    test_helpdesk_portal as test_rating_portal,
)
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .test_feedback import FeedbackCase

NAME = re.compile(r"\b[a-z_][a-z0-9_]*\b")


@tagged("post_install", "-at_install", "qc_oca_family")
class TestOcaHelpdeskFamily(FeedbackCase):
    def visible_nodes(self, ticket, fname, user):
        """The ``fname`` nodes of the ticket form ``user`` sees on ``ticket``: their
        own ``invisible`` and their parents' evaluated on its values."""
        arch = self.env["helpdesk.ticket"].with_user(user).get_views([(False, "form")])
        tree = etree.fromstring(arch["views"]["form"]["arch"])
        visible = []
        for node in tree.iter("field"):
            if node.get("name") != fname or node.xpath("ancestor::field"):
                continue
            hidden = False
            for element in [node, *node.iterancestors()]:
                expr = element.get("invisible")
                if not expr:
                    continue
                names = {n for n in NAME.findall(expr) if n in ticket._fields}
                values = {}
                for name in names:
                    value = ticket[name]
                    field = ticket._fields[name]
                    if field.type == "many2one":
                        value = value.id
                    elif field.type in ("one2many", "many2many"):
                        value = value.ids
                    values[name] = value
                if safe_eval(expr, {"uid": user.id, "context": {}, **values}):
                    hidden = True
                    break
            if not hidden:
                visible.append(node)
        return visible

    def test_the_complaint_product_is_helpdesk_products_narrowed_to_goods(self):
        field = self.env["helpdesk.ticket"]._fields["product_id"]
        self.assertIn("helpdesk_product", field._modules, "helpdesk_product's field")
        service = self.env["product.product"].create({"name": "Descaling", "type": "service"})
        retired = self.env["product.product"].create(
            {"name": "Old kettle", "type": "consu", "ticket_active": False}
        )
        offered = self.env["product.product"].search(
            [("id", "in", (self.kettle | service | retired).ids), *field.domain]
        )
        self.assertEqual(
            offered, self.kettle, "goods available for tickets only, not services nor retired"
        )
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        self.assertEqual(self.kettle.helpdesk_ticket_count, 1, "the product's tickets count it")
        self.assertEqual(
            self.kettle.product_tmpl_id.action_view_helpdesk_tickets()["res_id"], ticket.id
        )

    def test_reporting_from_an_order_fills_its_product_and_line(self):
        # helpdesk_product's product stands above the order on the form: its onchange
        # may run before the order's and must not undo the line the order picked.
        action = self.order_alice.with_user(self.cs_user).action_report_quality_complaint()
        tickets = self.env["helpdesk.ticket"].with_user(self.cs_user)
        form = Form(tickets.with_context(**action["context"]))
        self.assertEqual(form.sale_line_id, self.order_alice.order_line, "its only line")
        self.assertEqual(form.product_id, self.kettle, "the product it sold")

    def test_a_complaint_shows_its_product_once_in_table_1(self):
        complaint = self.env["helpdesk.ticket"].create(self.complaint_vals())
        nodes = self.visible_nodes(complaint, "product_id", self.cs_user)
        self.assertEqual(len(nodes), 1)
        self.assertTrue(nodes[0].xpath("ancestor::page[@name='complaint']"), "in Table 1")

        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Printer jammed",
                "description": "<p>Paper stuck</p>",
                "product_id": self.toaster.id,
            }
        )
        nodes = self.visible_nodes(ticket, "product_id", self.cs_user)
        self.assertEqual(len(nodes), 1, "an ordinary ticket: helpdesk_product's field only")
        self.assertFalse(nodes[0].xpath("ancestor::page"), "beside the channel")

    def test_the_result_is_the_only_rating_request_and_oca_counts_it(self):
        stages = self.env["helpdesk.ticket.stage"].search([("team_ids", "in", self.team.ids)])
        self.assertTrue(stages)
        self.assertFalse(
            stages.rating_mail_template_id, "our stages leave the rating to the result message"
        )
        ticket = self.complaint()
        self.assertEqual(ticket.positive_rate_percentage, -1, "not rated yet")
        self.execute(ticket, self.at(-3, 15))
        self.send_result(ticket, self.at(0, 10))
        self.customer_rates(ticket, 5, "Fine now.")
        self.assertEqual(ticket.qc_feedback_state, "satisfied")
        self.assertEqual(len(ticket.sudo().rating_ids), 1, "one rating request: the result's")
        self.assertEqual(ticket.positive_rate_percentage, 100, "helpdesk_mgmt_rating's figure")
        rating_message = ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("helpdesk_mgmt_rating.mt_ticket_rating")
        )
        self.assertTrue(rating_message, "the answer in the chatter as a ticket rating")


# OCA's own ticket and rating tests, with our models loaded.
@tagged("post_install", "-at_install", "qc_oca_family")
class TestHelpdeskTicketBesideComplaints(test_helpdesk_ticket.TestHelpdeskTicket):
    allow_inherited_tests_method = True


@tagged("post_install", "-at_install", "qc_oca_family")
class TestHelpdeskTeamBesideComplaints(test_helpdesk_ticket_team.TestHelpdeskTicketTeam):
    allow_inherited_tests_method = True


@tagged("post_install", "-at_install", "qc_oca_family")
class TestHelpdeskRatingBesideComplaints(test_helpdesk_mgmt_rating.TestHelpdeskMgmtRating):
    allow_inherited_tests_method = True


@tagged("post_install", "-at_install", "qc_oca_family")
class TestHelpdeskRatingPortalBesideComplaints(test_rating_portal.TestHelpdeskPortalBase):
    allow_inherited_tests_method = True
