"""Screens in Chinese: the labels a user sees on a view, and whether they are Chinese."""

import re

from lxml import etree

from .common import QualityComplaintCase

CJK = re.compile(r"[\u3400-\u9fff]")
# Chinese (fullwidth) brackets.
OPEN, CLOSE = "\uff08", "\uff09"
# Labels that stay as they are in Chinese screens.
KEPT = {"SLA", "ID"}
HIDDEN = {"1", "True", "true"}
# Attributes whose text the user reads on the screen.
SHOWN_ATTRS = ("string", "placeholder", "confirm", "title")


class ChineseScreensCase(QualityComplaintCase):
    """Chinese activated, the terms of every installed addon of ours loaded."""

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
