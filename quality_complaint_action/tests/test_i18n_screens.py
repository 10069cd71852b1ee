from odoo.addons.quality_complaint.tests.common_i18n import ChineseScreensCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestActionChineseScreens(ChineseScreensCase):
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
