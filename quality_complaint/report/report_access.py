"""Who may print the complaint reports: the register, the review pack and the
PDFs name grades and their reasons, officers, costs and suppliers. Each report
model checks its reader itself, so that every route that renders it
(/report/xlsx, /report/pdf, /report/html, a mail template, RPC) is covered."""

from odoo.exceptions import AccessError

from ..roles import CUSTOMER_SERVICE


def check_report_reader(env, report):
    """An AccessError unless the user belongs to a complaint group (or the code
    runs as the superuser, after its own checks)."""
    if env.su or env.user.has_group(CUSTOMER_SERVICE):
        return
    raise AccessError(
        env._(
            "%(report)s is reserved to the quality complaint teams (customer service, "
            "quality officers and managers).",
            report=report,
        )
    )
