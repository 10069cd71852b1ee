from odoo.addons.quality_complaint.tests.common import sell_and_deliver, tour_scene
from odoo.addons.quality_complaint.tests.common_rpc import call_kw_message
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_investigation import InvestigationCase

NOTICE = "precautionary check"


class ContainmentPreviewCase(InvestigationCase):
    def investigation(self):
        ticket = self.Ticket.create(self.complaint_vals())
        return ticket._qc_open_or_join_investigation()

    def containment_tickets(self, investigation):
        return self.Ticket.search(
            [("investigation_id", "=", investigation.id), ("partner_id", "!=", self.alice.id)]
        )

    def notices(self):
        return self.env["mail.message"].search(
            [("model", "=", "helpdesk.ticket"), ("subject", "ilike", NOTICE)]
        )


@tagged("post_install", "-at_install")
class TestContainmentPreview(ContainmentPreviewCase):
    def test_a_discarded_preview_changes_nothing(self):
        investigation = self.investigation().with_user(self.officer)
        tickets = self.Ticket.search_count([])
        self.preview(investigation.action_notify_containment(), self.officer)
        # Discard closes the dialog: nothing else happens
        self.assertEqual(self.Ticket.search_count([]), tickets, "no complaint created")
        self.assertFalse(self.notices())
        self.assertFalse(investigation.containment_notified_partner_ids)
        self.assertEqual(investigation.containment_ids.partner_id, self.bob | self.carol)
        self.assertEqual(investigation.containment_count, 2, "Notify Them stays")
        # and the button opens it again
        self.preview(investigation.action_notify_containment(), self.officer)

    def test_the_notice_is_sent_on_a_complaint_made_for_each_customer(self):
        investigation = self.investigation().with_user(self.officer)
        preview = self.preview(investigation.action_notify_containment(), self.officer)
        self.assertEqual(preview.line_ids.customer_id, self.bob | self.carol)
        for line in preview.line_ids:
            self.assertEqual(line.partner_ids, line.customer_id, "To is filled in")
            self.assertEqual(line.lot_ids, self.lot_a)
            self.assertIn(line.customer_id.name, line.body)
            self.assertIn("K1-A", line.body)
            self.assertIn(self.kettle.display_name, line.subject)
            self.assertNotIn("{{", line.subject + line.body)
            self.assertNotIn("HT00001", line.body, "no sample value")
        carol_line = preview.line_ids.filtered(lambda line: line.customer_id == self.carol)
        carol_line.body = "<p>Dear Carol, please check the kettles of lot K1-A.</p>"
        preview.action_send()

        created = self.containment_tickets(investigation)
        self.assertEqual(created.partner_id, self.bob | self.carol, "one per customer")
        self.assertEqual(len(created), 2)
        for ticket in created:
            notice = ticket.message_ids.filtered(lambda m: NOTICE in (m.subject or "").lower())
            self.assertEqual(len(notice), 1, "the notice is in its chatter")
            self.assertEqual(notice.partner_ids, ticket.partner_id)
            self.assertEqual(notice.message_type, "comment")
            self.assertFalse(notice.subtype_id.internal)
            # what the customer reads on her portal is written for her
            for text in (ticket.name, str(ticket.description)):
                self.assertNotIn(investigation.name, text)
                self.assertNotIn("No complaint", text)
                self.assertNotIn("under investigation", text)
            self.assertIn("K1-A", ticket.name)
            note = ticket.message_ids.filtered(
                lambda m: m.subtype_id.internal and investigation.name in str(m.body)
            )
            self.assertEqual(len(note), 1, "the internal context is an internal note")
        carol_ticket = created.filtered(lambda t: t.partner_id == self.carol)
        self.assertEqual(carol_ticket.sale_order_id, self.order_carol)
        self.assertEqual(carol_ticket.lot_ids, self.lot_a)
        self.assertEqual(carol_ticket.complaint_state, "draft")
        self.assertIn(
            "please check the kettles",
            "".join(carol_ticket.message_ids.mapped("body")),
            "the text as the user edited it",
        )
        self.assertEqual(investigation.containment_notified_partner_ids, self.bob | self.carol)
        self.assertIn("Precautionary notice sent to", investigation.message_ids[0].body)
        with self.assertRaises(UserError):
            investigation.action_notify_containment()
        with self.assertRaises(UserError, msg="the same preview twice"):
            preview.action_send()
        self.assertEqual(len(self.containment_tickets(investigation)), 2)

    def test_a_customer_outside_the_list_is_refused(self):
        investigation = self.investigation().with_user(self.officer)
        preview = self.preview(investigation.action_notify_containment(), self.officer)
        preview.line_ids[0].customer_id = self.alice
        tickets = self.Ticket.search_count([])
        with self.assertRaises(UserError):
            preview.action_send()
        self.assertEqual(self.Ticket.search_count([]), tickets)
        self.assertFalse(self.notices())
        self.assertFalse(investigation.containment_notified_partner_ids)

    def test_a_new_customer_on_the_list_is_told_in_her_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["quality_complaint", "quality_complaint_investigation"], ["zh_CN"]
        )
        self.carol.lang = "zh_CN"
        investigation = self.investigation().with_user(self.officer)
        preview = self.preview(investigation.action_notify_containment(), self.officer)
        carol_line = preview.line_ids.filtered(lambda line: line.customer_id == self.carol)
        self.assertEqual(carol_line.lang, "zh_CN")
        self.assertIn("作为预防措施", carol_line.body)
        self.assertNotIn("{{", carol_line.body)


@tagged("post_install", "-at_install")
class TestPreviewOverRpc(HttpCase, ContainmentPreviewCase):
    """A preview forged over JSON-RPC sends nothing for who may not send it."""

    def forge_and_send(self, investigation):
        preview_id, error = call_kw_message(
            self,
            "quality.complaint.message.preview",
            "create",
            [
                {
                    "purpose": "containment",
                    "res_model": "quality.complaint.investigation",
                    "res_ids": investigation.ids,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "customer_id": self.bob.id,
                                "partner_ids": [(6, 0, self.bob.ids)],
                                "lot_ids": [(6, 0, self.lot_a.ids)],
                                "subject": "Precautionary check",
                                "body": "<p>forged</p>",
                            },
                        )
                    ],
                }
            ],
        )
        if error:
            return error
        _result, error = call_kw_message(
            self, "quality.complaint.message.preview", "action_send", [[preview_id]]
        )
        return error

    def assert_nothing_sent(self, investigation):
        self.assertFalse(self.containment_tickets(investigation))
        self.assertFalse(self.notices())
        self.assertFalse(investigation.containment_notified_partner_ids)

    def test_customer_service_may_not_notify_the_containment_list(self):
        investigation = self.investigation()
        self.authenticate(self.cs_user.login, self.cs_user.login)
        error = self.forge_and_send(investigation)
        self.assertIn("reserved to", error or "")
        self.assert_nothing_sent(investigation)

    def test_a_portal_user_may_not_send_a_preview(self):
        investigation = self.investigation()
        portal = new_test_user(
            self.env, login="qc_portal_preview", groups="base.group_portal", name="Portal"
        )
        self.authenticate(portal.login, portal.login)
        self.assertTrue(self.forge_and_send(investigation))
        self.assert_nothing_sent(investigation)

    def test_the_officer_sends_only_the_purpose_of_the_records(self):
        """A purpose of another model is not found on the investigation."""
        investigation = self.investigation()
        self.authenticate(self.officer.login, self.officer.login)
        _id, error = call_kw_message(
            self,
            "quality.complaint.message.preview",
            "create",
            [
                {
                    "purpose": "result",
                    "res_model": "quality.complaint.investigation",
                    "res_ids": investigation.ids,
                    "line_ids": [(0, 0, {"res_id": 1})],
                }
            ],
        )
        self.assertFalse(error)
        _result, error = call_kw_message(
            self, "quality.complaint.message.preview", "action_send", [[_id]]
        )
        self.assertIn("cannot be sent", error or "")
        self.assert_nothing_sent(investigation)


@tagged("post_install", "-at_install")
class TestContainmentPreviewTour(HttpCase):
    def test_officer_reviews_the_precautionary_notice(self):
        env = self.env
        _user, customer, kettle, lot, order = tour_scene(
            env, "tour_notice_officer", "quality_complaint.group_complaint_officer", "TOUR-NTC-LOT"
        )
        neighbour = env["res.partner"].create(
            {"name": "Tour Neighbour", "email": "neighbour@example.com"}
        )
        sell_and_deliver(env, neighbour, [(kettle, 2, lot, None)])
        ticket = env["helpdesk.ticket"].create(
            {
                "name": "Tour kettle leaks",
                "description": "<p>Water drips from the base.</p>",
                "is_quality_complaint": True,
                "team_id": env.ref("quality_complaint.helpdesk_team_quality_complaints").id,
                "partner_id": customer.id,
                "sale_order_id": order.id,
                "product_id": kettle.id,
                "lot_ids": [(6, 0, lot.ids)],
            }
        )
        investigation = ticket._qc_open_or_join_investigation()
        self.start_tour(
            "/odoo/action-quality_complaint_investigation.action_quality_complaint_investigation/"
            f"{investigation.id}",
            "quality_complaint_containment_preview_tour",
            login="tour_notice_officer",
        )
        created = env["helpdesk.ticket"].search(
            [("investigation_id", "=", investigation.id), ("partner_id", "=", neighbour.id)]
        )
        self.assertEqual(len(created), 1, "one complaint, made on Send only")
        self.assertTrue(
            created.message_ids.filtered(lambda m: "precautionary check" in (m.subject or ""))
        )
        self.assertEqual(investigation.containment_notified_partner_ids, neighbour)
