"""The notes the system writes for everyone on a remedy and its complaint: in the
company's language, whoever clicked (issue 20, Chinese; quality_complaint/lang.py)."""

from odoo.tests import new_test_user, tagged

from .test_remedy_credit_note import RemedyCase


@tagged("post_install", "-at_install")
class TestRemedyNotesInTheCompanyLanguage(RemedyCase):
    """Chinese-speaking users work in a company whose partner speaks English; then
    the company itself is Chinese and English users act."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.company.partner_id.lang = "en_US"
        cls.replacement = cls.env.ref("quality_complaint_remedy.remedy_type_replacement")
        cls.zh_cs = new_test_user(
            cls.env,
            login="qc_notes_zh_cs",
            name="Li Na",
            lang="zh_CN",
            groups="quality_complaint.group_complaint_user",
        )
        cls.zh_stock = new_test_user(
            cls.env,
            login="qc_notes_zh_stock",
            name="Wang Fang",
            lang="zh_CN",
            groups="stock.group_stock_manager",
        )
        cls.en_stock = new_test_user(
            cls.env,
            login="qc_notes_en_stock",
            name="Sam Stock",
            groups="stock.group_stock_manager",
        )

    def as_user(self, records, user):
        """``records`` as ``user`` would act in the web client: in their language."""
        return records.with_user(user).with_context(lang=user.lang)

    def note(self, record, text):
        """The body of the newest message of ``record`` naming ``text``."""
        record.invalidate_recordset(["message_ids"])
        found = record.message_ids.filtered(lambda m: text in (m.body or ""))
        self.assertTrue(found, f"a note naming {text} on {record.display_name}")
        return str(found[:1].body)

    def test_changed_after_approval(self):
        """Customer service changes an approved remedy: the note that it is to be
        approved again is in the company's language, not the clerk's."""
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=300.0)
        remedy.action_approve()
        self.as_user(remedy, self.zh_cs).amount = 400.0
        self.assertEqual(remedy.state, "planned")
        self.assertIn("the remedy is to be approved again", self.note(remedy, "approv"))

        self.company.partner_id.lang = "zh_CN"
        remedy.action_approve()
        remedy.with_context(lang="en_US").amount = 450.0
        self.assertIn("该补救措施需重新批准", self.note(remedy, "重新批准"))

    def test_executed_remedy_whose_transfer_is_deleted(self):
        """A remedy is executed, the warehouse deletes its transfer: the remedy's and
        the complaint's notes are in the company's language, not the warehouse's."""
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.replacement, quantity=1)
        remedy.action_execute()
        name = remedy.picking_id.name
        self.as_user(remedy.picking_id, self.zh_stock).unlink()
        english = f"{name} was deleted: {remedy.name} is to be executed again."
        self.assertIn(english, self.note(remedy, name))
        self.assertIn(english, self.note(ticket, name))

        self.company.partner_id.lang = "zh_CN"
        remedy.action_execute()
        name = remedy.picking_id.name
        self.as_user(remedy.picking_id, self.en_stock).unlink()
        chinese = f"{name} 已删除\uff1a补救措施 {remedy.name} 需要重新执行。"
        self.assertIn(chinese, self.note(remedy, name))
        self.assertIn(chinese, self.note(ticket, name))

    def test_call_back_waived(self):
        """The call-back waived by a Chinese clerk: the note, for everyone, is English
        in an English company; Chinese in a Chinese one."""
        ticket = self.register()
        self.as_user(ticket, self.zh_cs)._qc_waive_followup("Customer moved abroad")
        self.assertIn("Call-back waived: Customer moved abroad", self.note(ticket, "abroad"))
        self.company.partner_id.lang = "zh_CN"
        other = self.register()
        other.with_context(lang="en_US")._qc_waive_followup("Shop closed")
        self.assertIn("已免除回访\uff1aShop closed", self.note(other, "Shop closed"))
