from odoo.addons.quality_complaint.tests.common_sla import ComplaintGradingCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestRemedyCustomerLanguage(ComplaintGradingCase):
    """The customer reads her remedies (portal, result message) in her language,
    whoever proposed the plan."""

    def test_remedy_descriptions_in_the_customers_language(self):
        self.alice.lang = "zh_CN"
        ticket = self.register(impact_level="safety", customer_request="exchange")
        self.assertEqual(ticket.partner_id, self.alice)
        ticket.with_user(self.cs_user).action_propose_remedy_plan()
        by_type = {r.type_id: r for r in ticket.remedy_ids}
        gift = by_type[self.env.ref("quality_complaint_remedy.remedy_type_gift")]
        replacement = by_type[self.env.ref("quality_complaint_remedy.remedy_type_replacement")]
        self.assertEqual(gift.name, "赠送礼品\uff0c对造成的不便表示歉意。")
        self.assertEqual(replacement.name, "免费寄送一件新品。")
        portal = ticket.with_context(lang="zh_CN")._qc_portal_remedies()
        self.assertIn("免费寄送一件新品。", [line["name"] for line in portal])

    def test_english_customer_reads_english(self):
        ticket = self.register(impact_level="safety", customer_request="exchange")
        ticket.with_user(self.cs_user).with_context(lang="zh_CN").action_propose_remedy_plan()
        gift = ticket.remedy_ids.filtered(
            lambda r: r.type_id == self.env.ref("quality_complaint_remedy.remedy_type_gift")
        )
        self.assertEqual(gift.name, "A gift to apologise for the trouble.")
