from .report.complaint_daily import drop_figures


def uninstall_hook(env):
    """The daily figures' triggers live on ``helpdesk_ticket``, which outlives the
    module: drop them with their function and table."""
    drop_figures(env.cr)
