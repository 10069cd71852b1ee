{
    "name": "Quality Complaints - SMS",
    "summary": "The customer messages of a complaint also by SMS to the customer's "
    "mobile: acknowledgement, new response time, result of the remedies, call-back",
    "version": "19.0.1.0.0",
    "category": "Manufacturing/Quality",
    "license": "AGPL-3",
    "author": "quality_complaint developers",
    "website": "https://github.com/quality-complaint/quality_complaint",
    # sms: Odoo's SMS templates, queue and chatter notifications.
    "depends": ["quality_complaint_remedy", "sms"],
    "data": [
        "data/sms_template_data.xml",
        "data/ir_cron_data.xml",
        "views/res_config_settings_views.xml",
    ],
    "auto_install": True,
}
