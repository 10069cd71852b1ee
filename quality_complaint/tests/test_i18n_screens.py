from lxml import etree

from odoo.tests import tagged

from .common_i18n import CLOSE, OPEN, ChineseScreensCase


@tagged("post_install", "-at_install")
class TestChineseScreens(ChineseScreensCase):
    """Customer service opens the complaints in Chinese: no English is left on
    the list, kanban, form or search of a complaint."""

    def complaint_views(self):
        action = self.env.ref("quality_complaint.action_quality_complaints")
        views = [(view.view_id.id, view.view_mode) for view in action.view_ids]
        views.append((action.search_view_id.id, "search"))
        tickets = self.env["helpdesk.ticket"].with_user(self.cs_user).with_context(lang="zh_CN")
        return tickets, tickets.get_views(views)["views"]

    def test_complaint_screens_are_all_chinese(self):
        tickets, views = self.complaint_views()
        fields = tickets.fields_get(attributes=["string"])
        english = []
        for view_type, view in views.items():
            for where, text in self.shown_labels(view["arch"], view_type, fields):
                if not self.is_chinese(text):
                    english.append(f"{where}: {text}")
        if english:
            self.fail("English left on the complaint screens:\n" + "\n".join(english))

    def test_delivered_quantity_is_one_sentence(self):
        """'3 of 5 delivered' is one term: Chinese puts the number where its
        grammar wants it, not between two loose words."""
        views = self.complaint_views()[1]
        form = etree.fromstring(views["form"]["arch"])
        quantity = form.xpath("//field[@name='delivered_qty']")[0].getparent()
        sentence = quantity.getparent()
        self.assertEqual(
            (sentence.text.strip(), quantity.tail.strip()),
            (OPEN + "已交付", CLOSE),
            "the quantity sits inside one translated sentence",
        )
        ribbons = form.xpath("//widget[@name='web_ribbon']")
        self.assertEqual(
            {ribbon.get("invisible"): ribbon.get("title") for ribbon in ribbons},
            {"active": "已归档", "not duplicate_id": "重复"},
        )

    def test_settings_sentences_keep_their_numbers_inside(self):
        settings = self.env["res.config.settings"].with_context(lang="zh_CN")
        form = etree.fromstring(settings.get_views([(False, "form")])["views"]["form"]["arch"])

        def around(field):
            number = form.xpath(f"//field[@name='{field}']")[0].getparent()
            return number.tail.strip()

        self.assertEqual(around("qc_batch_threshold"), "件" + OPEN)
        self.assertEqual(around("qc_batch_window_days"), "天内" + CLOSE)
        words = form.xpath("//field[@name='qc_min_description_words']")[0].getparent()
        self.assertEqual(
            (words.getparent().text.strip(), words.tail.strip()), ("至少", "个字才算准确的描述。")
        )

    def test_upload_limits_setting_in_chinese(self):
        settings = self.env["res.config.settings"].with_context(lang="zh_CN")
        form = etree.fromstring(settings.get_views([(False, "form")])["views"]["form"]["arch"])
        files = form.xpath("//field[@name='qc_upload_max_files']")[0].getparent()
        size = form.xpath("//field[@name='qc_upload_max_mb']")[0].getparent()
        self.assertEqual(
            (files.getparent().text.strip(), files.tail.strip(), size.tail.strip()),
            ("一次最多", "个文件\uff0c每个最大", "MB"),
        )
        setting = form.xpath("//setting[@id='qc_upload_limits']")[0]
        self.assertEqual(setting.get("string"), "客户上传")
