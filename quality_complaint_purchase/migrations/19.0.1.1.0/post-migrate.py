"""The e-mails a supplier reads are written for the supplier.

The request, reminder and reminder digest templates of 19.0.1.0.0 showed the
supplier our corrective action's internal description and root cause. Their
records are ``noupdate``: an update would keep the old bodies, so they are reset
here from this release's data file (with their translations), as *Reset
Template* in Settings would. A company that had edited them gets the new bodies:
the old ones leak internal text to outsiders.
"""

from odoo import SUPERUSER_ID, api

DATA_FILE = "quality_complaint_purchase/data/corrective_action_supplier_data.xml"
TEMPLATES = (
    "mail_template_supplier_request",
    "mail_template_supplier_reminder",
    "mail_template_supplier_reminder_digest",
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    templates = env["mail.template"]
    for name in TEMPLATES:
        template = env.ref(f"quality_complaint_purchase.{name}", raise_if_not_found=False)
        if template:
            templates |= template
    if not templates:
        return
    # Records of an earlier release may name the file they were first loaded from
    # (another addon, before the split): reset them from this addon's file.
    templates.write({"template_fs": DATA_FILE})
    templates.reset_template()
