import re

from lxml import etree

from odoo.tests import tagged

from .common import QualityComplaintCase

CJK = re.compile(r"[\u3400-\u9fff]")
# Chinese (fullwidth) brackets.
OPEN, CLOSE = "\uff08", "\uff09"
# Labels that stay as they are in Chinese screens.
KEPT = {"SLA", "ID"}
HIDDEN = {"1", "True", "true"}
# Attributes whose text the user reads on the screen.
SHOWN_ATTRS = ("string", "placeholder", "confirm", "title")


@tagged("post_install", "-at_install")
class TestChineseScreens(QualityComplaintCase):
    """Customer service opens the complaints in Chinese: no English is left on
    the list, kanban, form or search of a complaint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # The bridges installed alongside add their buttons to the same screens.
        modules = cls.env["ir.module.module"].search(
            [("name", "like", "quality_complaint%"), ("state", "=", "installed")]
        )
        cls.env["ir.module.module"]._load_module_terms(
            ["helpdesk_mgmt", *modules.mapped("name")], ["zh_CN"]
        )
        cls.cs_user.lang = "zh_CN"

    def complaint_views(self):
        action = self.env.ref("quality_complaint.action_quality_complaints")
        views = [(view.view_id.id, view.view_mode) for view in action.view_ids]
        views.append((action.search_view_id.id, "search"))
        tickets = self.env["helpdesk.ticket"].with_user(self.cs_user).with_context(lang="zh_CN")
        return tickets, tickets.get_views(views)["views"]

    def is_chinese(self, text):
        text = " ".join(text.split())
        return (
            not text or bool(CJK.search(text)) or text in KEPT or not re.search(r"[A-Za-z]", text)
        )

    def visible(self, node):
        return not any(
            el.get("invisible") in HIDDEN or el.get("column_invisible") in HIDDEN
            for el in node.iterancestors(tag=etree.Element)
        ) and not (node.get("invisible") in HIDDEN or node.get("column_invisible") in HIDDEN)

    def shown_labels(self, arch, view_type, fields):
        """(where, text) of every label the user sees on the view."""
        root = etree.fromstring(arch)
        for node in root.iter(tag=etree.Element):
            if not self.visible(node) or node.tag in ("script", "t"):
                continue
            where = f"{view_type} <{node.tag} name={node.get('name') or node.get('for')}>"
            for attr in SHOWN_ATTRS:
                if node.get(attr) and node is not root:
                    yield where + f" @{attr}", node.get(attr)
            if node.tag == "field" and node.get("string") is None and node.get("nolabel") != "1":
                parent = node.getparent()
                labelled = (
                    view_type in ("list", "search", "pivot", "graph", "calendar")
                    and parent is not None
                    and parent.tag in (view_type, "group")
                ) or (view_type == "form" and parent is not None and parent.tag == "group")
                if labelled:
                    yield where, fields[node.get("name")]["string"]
            if node.tag == "label" and node.get("for") and not node.get("string"):
                yield where, fields[node.get("for")]["string"]
            if node.tag != "field":
                for text in (node.text, node.tail):
                    if text and text.strip():
                        yield where + " text", text.strip()

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

    def test_corrective_action_screens_are_all_chinese(self):
        """A quality officer works the corrective actions in Chinese: list, kanban,
        form (with the supplier's answer, the verification, the recurrences), search."""
        self.officer.lang = "zh_CN"
        actions = (
            self.env["quality.complaint.action"].with_user(self.officer).with_context(lang="zh_CN")
        )
        views = actions.get_views(
            [(False, "list"), (False, "kanban"), (False, "form"), (False, "search")]
        )["views"]
        fields = actions.fields_get(attributes=["string"])
        english = [
            f"{where}: {text}"
            for view_type, view in views.items()
            for where, text in self.shown_labels(view["arch"], view_type, fields)
            if not self.is_chinese(text)
        ]
        if english:
            self.fail("English left on the corrective action screens:\n" + "\n".join(english))
