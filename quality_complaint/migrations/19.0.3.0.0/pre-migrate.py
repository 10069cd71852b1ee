"""19.0.3.0.0: the investigation became ``quality_complaint_investigation``, the
remedies with the result, the feedback and the call-back ``quality_complaint_remedy``,
corrective actions ``quality_complaint_action``, the supplier's side
``quality_complaint_purchase``, the reports ``quality_complaint_report``.

A database of 19.0.1.x gets every move at once; one of 19.0.2.0.0 (actions,
supplier's side and reports already moved) gets the investigation's and the
remedies': a move of what already moved changes nothing.

What moved keeps its records: the models, their fields, the fields added to the
ticket, the company and the settings, and the records of the moved data files
(views, actions, menus, crons, access rights, rules) change owner in
``ir_model_data`` before this module is updated, so that the update does not
delete them as orphans. The new addon is then loaded in the same run as an
update (not an install): its ``noupdate`` data, which companies may have edited,
stays as it is, and its demo data is not loaded twice.
"""

import inspect
import logging

from openupgradelib import openupgrade

_logger = logging.getLogger(__name__)

OLD = "quality_complaint"
# In the order of the dependency graph: a later addon's moves may name records of
# an earlier one.
MOVES = {
    "quality_complaint_investigation": {
        "models": [
            "quality.complaint.fishbone.cause",
            "quality.complaint.inspection",
            "quality.complaint.inspection.measurement",
            "quality.complaint.investigation",
            "quality.complaint.investigation.part",
            "quality.complaint.lot.balance",
            "quality.complaint.lot.customer",
            "quality.complaint.lot.move",
            "quality.complaint.test",
            "quality.complaint.why",
        ],
        "fields": {
            "helpdesk.ticket": [
                "investigation_id",
                "investigation_state",
            ],
            "mail.compose.message": ["qc_investigation_done"],
            "stock.lot": [
                "qc_move_ids",
                "qc_balance_ids",
                "qc_customer_ids",
                "qc_investigation_ids",
                "qc_investigation_count",
            ],
        },
        "xmlids": [
            "access_fishbone_cause_officer",
            "access_fishbone_cause_user",
            "access_inspection_measurement_officer",
            "access_inspection_measurement_user",
            "access_inspection_officer",
            "access_inspection_user",
            "access_investigation_manager",
            "access_investigation_officer",
            "access_investigation_user",
            "access_lot_balance_user",
            "access_lot_customer_user",
            "access_lot_move_user",
            "access_test_officer",
            "access_test_user",
            "access_why_officer",
            "access_why_user",
            "action_quality_complaint_investigation",
            "demo_cause_environment",
            "demo_cause_machine",
            "demo_cause_man",
            "demo_cause_material",
            "demo_cause_measurement",
            "demo_cause_method",
            "demo_delivery_line_northwind_lot_a",
            "demo_inspection_leak",
            "demo_investigation_kettle",
            "demo_measurement_gasket",
            "demo_measurement_thermostat",
            "demo_so_northwind_lot_a",
            "demo_test_fill_boil",
            "demo_why_1",
            "demo_why_2",
            "demo_why_3",
            "demo_why_4",
            "helpdesk_ticket_view_form_inherit_investigation",
            "helpdesk_ticket_view_list_complaint_inherit_investigation",
            "helpdesk_ticket_view_search_inherit_investigation",
            "mail_template_containment_notice",
            "mail_template_investigation_progress",
            "menu_quality_complaint_investigations",
            "quality_complaint_fishbone_cause_view_list",
            "quality_complaint_inspection_measurement_view_list",
            "quality_complaint_inspection_view_form",
            "quality_complaint_inspection_view_list",
            "quality_complaint_investigation_view_form",
            "quality_complaint_investigation_view_kanban",
            "quality_complaint_investigation_view_list",
            "quality_complaint_investigation_view_search",
            "quality_complaint_lot_balance_view_list",
            "quality_complaint_lot_customer_view_list",
            "quality_complaint_lot_move_view_list",
            "quality_complaint_lot_move_view_search",
            "quality_complaint_test_view_form",
            "quality_complaint_test_view_list",
            "quality_complaint_why_view_list",
            "rule_fishbone_cause_company",
            "rule_inspection_company",
            "rule_inspection_measurement_company",
            "rule_investigation_company",
            "rule_lot_balance_company",
            "rule_lot_customer_company",
            "rule_lot_move_company",
            "rule_test_company",
            "rule_why_company",
            "seq_quality_complaint_investigation",
            "stock_lot_view_form_inherit_investigation",
        ],
    },
    "quality_complaint_remedy": {
        "models": [
            "quality.complaint.feedback.wizard",
            "quality.complaint.followup.wizard",
            "quality.complaint.remedy",
            "quality.complaint.remedy.type",
        ],
        "fields": {
            "helpdesk.ticket": [
                "qc_followup_deadline_id",
                "qc_followup_due",
                "qc_followup_state",
                "qc_followup_outcome",
                "qc_followup_note",
                "qc_followup_date",
                "qc_feedback_state",
                "qc_feedback_date",
                "qc_feedback_deadline_id",
                "qc_feedback_deadline",
                "qc_feedback_status",
                "qc_feedback_sent_date",
                "qc_feedback_attempts",
                "qc_feedback_max_attempts",
                "qc_feedback_plan_version",
                "qc_feedback_note",
                "qc_parent_id",
                "qc_child_ids",
                "qc_child_count",
                "remedy_ids",
                "qc_plan_version",
                "qc_remedy_state",
                "qc_remedy_cost",
                "qc_currency_id",
                "qc_picking_count",
                "qc_credit_note_count",
            ],
            "res.company": [
                "qc_remedy_approval_limit",
                "qc_remedy_max_warranty_months",
                "qc_return_location_id",
                "qc_followup_days",
                "qc_feedback_days",
                "qc_feedback_max_attempts",
            ],
            "res.config.settings": [
                "qc_remedy_approval_limit",
                "qc_remedy_max_warranty_months",
                "qc_return_location_id",
                "qc_followup_days",
                "qc_feedback_days",
                "qc_feedback_max_attempts",
            ],
            "quality.complaint.grade": [
                "remedy_type_ids",
            ],
        },
        "selections": {"quality.complaint.deadline": {"kind": ["feedback", "followup"]}},
        "xmlids": [
            "access_feedback_wizard_user",
            "access_followup_wizard_user",
            "access_remedy_manager",
            "access_remedy_type_manager",
            "access_remedy_type_user",
            "access_remedy_user",
            "action_remedy",
            "action_remedy_type",
            "complaint_feedback_wizard_view_form",
            "complaint_grade_view_form_inherit_remedy",
            "demo_attachment_lid_photo",
            "demo_complaint_lid_stain",
            "demo_remedy_lid_instructions",
            "followup_wizard_view_form",
            "helpdesk_ticket_view_form_inherit_feedback",
            "helpdesk_ticket_view_form_inherit_followup",
            "helpdesk_ticket_view_form_inherit_remedy",
            "helpdesk_ticket_view_search_inherit_feedback",
            "helpdesk_ticket_view_search_inherit_followup",
            "mail_activity_type_feedback",
            "mail_activity_type_followup_call",
            "mail_template_complaint_result",
            "mail_template_remedy_instructions",
            "menu_quality_complaint_remedies",
            "menu_quality_complaint_remedy_type",
            "portal_complaint_page_remedies",
            "remedy_type_compensation",
            "remedy_type_gift",
            "remedy_type_instructions",
            "remedy_type_pickup",
            "remedy_type_refund",
            "remedy_type_replacement",
            "remedy_type_view_form",
            "remedy_type_view_list",
            "remedy_type_view_search",
            "remedy_type_warranty",
            "remedy_view_form",
            "remedy_view_list",
            "remedy_view_search",
            "res_config_settings_view_form_inherit_remedy",
            "res_config_settings_view_form_inherit_remedy_delivery",
            "rule_remedy_company",
            "rule_remedy_type_company",
        ],
    },
    "quality_complaint_action": {
        "models": [
            "quality.complaint.action",
            "quality.complaint.action.template",
            "quality.complaint.action.verification",
            "quality.complaint.department",
        ],
        "fields": {
            "helpdesk.ticket": [
                "qc_recurrence_action_ids",
                "qc_is_recurrence",
                "qc_recurrence_warning",
            ],
            "stock.lot": [
                "qc_hold",
                "qc_hold_action_ids",
                "qc_released_action_ids",
                "qc_hold_date",
                "qc_hold_released_by_id",
                "qc_hold_released_date",
                "qc_hold_reason",
            ],
            "quality.complaint.investigation": [
                "action_ids",
                "action_count",
                "qc8d_team_ids",
                "qc8d_customer_ids",
                "qc8d_affected_qty",
                "qc8d_first_complaint_date",
                "qc8d_containment_action_ids",
                "qc8d_why_conclusion",
                "qc8d_root_cause_ids",
                "qc8d_corrective_action_ids",
                "qc8d_implemented_action_ids",
                "qc8d_preventive_action_ids",
                "qc8d_effective_count",
                "qc8d_action_total",
                "qc8d_closed_ticket_count",
                "qc8d_closure",
            ],
            "res.company": ["qc_verification_days", "qc_recurrence_days"],
            "res.config.settings": ["qc_verification_days", "qc_recurrence_days"],
        },
        "selections": {"quality.complaint.deadline": {"kind": ["verification"]}},
        "xmlids": [
            "access_action_officer",
            "access_action_template_manager",
            "access_action_template_user",
            "access_action_user",
            "access_action_verification_officer",
            "access_action_verification_user",
            "access_department_manager",
            "access_department_user",
            "action_corrective_action",
            "action_corrective_action_verification",
            "action_quality_complaint_action_template",
            "action_quality_complaint_department",
            "action_report_investigation_8d",
            "action_template_environment_protection",
            "action_template_machine_repair",
            "action_template_man_training",
            "action_template_material_quarantine",
            "action_template_material_sampling",
            "action_template_material_scar",
            "action_template_measurement_calibration",
            "action_template_method_revision",
            "demo_action_training",
            "demo_partner_supplier_contact",
            "demo_verification_training",
            "department_engineering",
            "department_logistics",
            "department_maintenance",
            "department_production",
            "department_purchasing",
            "department_quality",
            "helpdesk_ticket_view_form_inherit_recurrence",
            "helpdesk_ticket_view_search_inherit_recurrence",
            "mail_activity_type_action_rework",
            "mail_activity_type_action_verification",
            "menu_quality_complaint_action_template",
            "menu_quality_complaint_actions",
            "menu_quality_complaint_department",
            "quality_complaint_action_template_view_form",
            "quality_complaint_action_template_view_list",
            "quality_complaint_action_template_view_search",
            "quality_complaint_action_verification_view_form",
            "quality_complaint_action_verification_view_form_dialog",
            "quality_complaint_action_verification_view_list",
            "quality_complaint_action_verification_view_search",
            "quality_complaint_action_view_form",
            "quality_complaint_action_view_form_containment",
            "quality_complaint_action_view_form_inherit_template",
            "quality_complaint_action_view_form_recurrence",
            "quality_complaint_action_view_form_verification",
            "quality_complaint_action_view_kanban",
            "quality_complaint_action_view_list",
            "quality_complaint_action_view_list_recurrence",
            "quality_complaint_action_view_list_verification",
            "quality_complaint_action_view_search",
            "quality_complaint_action_view_search_recurrence",
            "quality_complaint_action_view_search_verification",
            "quality_complaint_department_view_list",
            "quality_complaint_investigation_view_form_8d",
            "quality_complaint_investigation_view_form_inherit_8d",
            "quality_complaint_investigation_view_form_inherit_propose",
            "report_investigation_8d",
            "report_investigation_8d_document",
            "rule_action_company",
            "rule_action_quality",
            "rule_action_template_company",
            "rule_action_verification_company",
            "rule_action_verification_quality",
            "rule_department_company",
            "seq_quality_complaint_action",
            "stock_lot_view_form_inherit_qc_hold",
            "stock_lot_view_list_inherit_qc_hold",
            "stock_lot_view_search_inherit_qc_hold",
        ],
    },
    "quality_complaint_purchase": {
        "models": ["quality.complaint.supplier.reject.wizard"],
        "fields": {
            "quality.complaint.action": [
                "supplier_contact_id",
                "supplier_state",
                "supplier_request_date",
                "supplier_deadline_id",
                "supplier_answer_due",
                "supplier_answer_late",
                "supplier_containment_done",
                "supplier_containment_note",
                "supplier_root_cause",
                "supplier_corrective_action",
                "supplier_planned_date",
                "supplier_evidence_ids",
                "supplier_answer_date",
                "supplier_answered_by",
                "supplier_reject_reason",
                "supplier_reviewed_by_id",
                "supplier_review_date",
            ],
            "res.company": ["qc_supplier_answer_days", "qc_purchase_manager_id"],
            "res.config.settings": ["qc_supplier_answer_days", "qc_purchase_manager_id"],
        },
        "selections": {"quality.complaint.deadline": {"kind": ["supplier_answer"]}},
        "xmlids": [
            "access_supplier_reject_wizard_officer",
            "access_supplier_reject_wizard_purchase",
            "action_supplier_corrective_action",
            "mail_activity_type_supplier_review",
            "mail_template_supplier_rejection",
            "mail_template_supplier_reminder",
            "mail_template_supplier_request",
            "menu_purchase_supplier_corrective_actions",
            "portal_breadcrumbs_supplier_actions",
            "portal_my_home_supplier_actions",
            "portal_my_supplier_actions",
            "portal_supplier_action_page",
            "purchase_order_form_supplier_actions",
            "quality_complaint_action_view_form_supplier",
            "quality_complaint_action_view_list_supplier",
            "quality_complaint_action_view_search_supplier",
            "res_partner_view_form_supplier_actions",
            "supplier_reject_wizard_view_form",
            "access_action_purchase",
            "access_action_portal",
            "access_action_verification_purchase",
            "rule_action_purchase",
            "rule_action_verification_purchase",
            "rule_action_portal_supplier",
            "demo_user_portal_supplier",
        ],
    },
    "quality_complaint_report": {
        "models": [
            "quality.complaint.analysis",
            "quality.complaint.case",
            "quality.complaint.daily",
            "quality.complaint.figures",
            "quality.complaint.register.wizard",
            "quality.complaint.review",
            "quality.complaint.review.decision",
            "quality.complaint.review.item",
            "quality.complaint.review.pack.wizard",
            "quality.supplier.scorecard",
            "report.quality_complaint.complaint_register_xlsx",
            "report.quality_complaint.review_pack_xlsx",
        ],
        "fields": {
            "helpdesk.ticket": [
                "qc_lot_id",
                "qc_supplier_id",
                "qc_registered_on",
                "qc_days_to_close",
            ],
            "res.company": ["qc_review_working_day"],
            "res.config.settings": ["qc_review_working_day"],
        },
        "xmlids": [
            "action_report_complaint_customer",
            "helpdesk_ticket_view_form_inherit_complaint_report",
            "mail_template_complaint_report",
            "report_complaint_customer",
            "report_complaint_customer_document",
            "access_case_library_user",
            "access_complaint_analysis_user",
            "access_complaint_daily_user",
            "access_register_wizard_user",
            "access_review_decision_manager",
            "access_review_decision_officer",
            "access_review_item_manager",
            "access_review_item_officer",
            "access_review_manager",
            "access_review_officer",
            "access_review_pack_wizard_officer",
            "access_supplier_scorecard_officer",
            "access_supplier_scorecard_purchase",
            "action_complaint_register_wizard",
            "action_quality_complaint_analysis",
            "action_quality_complaint_case",
            "action_quality_complaint_review",
            "action_quality_supplier_scorecard",
            "action_report_complaint_register_xlsx",
            "action_report_review_pack_xlsx",
            "action_review_pack_wizard",
            "complaint_register_wizard_view_form",
            "ir_cron_prepare_monthly_review",
            "mail_activity_type_review_prepare",
            "menu_complaint_register_wizard",
            "menu_purchase_supplier_scorecard",
            "menu_quality_complaint_analysis",
            "menu_quality_complaint_case",
            "menu_quality_complaint_reporting",
            "menu_quality_complaint_review",
            "menu_quality_supplier_scorecard",
            "menu_review_pack_wizard",
            "product_template_view_form_inherit_case_library",
            "quality_complaint_analysis_view_graph",
            "quality_complaint_analysis_view_list",
            "quality_complaint_analysis_view_pivot",
            "quality_complaint_analysis_view_search",
            "quality_complaint_case_view_form",
            "quality_complaint_case_view_kanban",
            "quality_complaint_case_view_list",
            "quality_complaint_case_view_search",
            "quality_complaint_review_view_calendar",
            "quality_complaint_review_view_form",
            "quality_complaint_review_view_list",
            "quality_complaint_review_view_search",
            "quality_supplier_scorecard_view_graph",
            "quality_supplier_scorecard_view_list",
            "quality_supplier_scorecard_view_pivot",
            "quality_supplier_scorecard_view_search",
            "review_pack_wizard_view_form",
            "rule_complaint_analysis_company",
            "rule_complaint_case_company",
            "rule_complaint_daily_company",
            "rule_review_company",
            "rule_review_decision_company",
            "rule_review_item_company",
            "rule_supplier_scorecard_company",
        ],
    },
}


def _move(cr, new, spec):
    for model in spec["models"]:
        openupgrade.update_module_moved_models(cr, model, OLD, new)
        # The model's SQL constraints and indexes: left with this module, the update
        # would drop them from the table as constraints nobody defines any more.
        cr.execute(
            """
            UPDATE ir_model_data SET module = %s
             WHERE module = %s AND model = 'ir.model.constraint' AND res_id IN (
                   SELECT con.id FROM ir_model_constraint con
                     JOIN ir_model m ON m.id = con.model WHERE m.model = %s)
            """,
            (new, OLD, model),
        )
        cr.execute(
            """
            UPDATE ir_model_constraint con SET module = new.id
              FROM ir_model m, ir_module_module new, ir_module_module old
             WHERE m.id = con.model AND m.model = %s AND con.module = old.id
               AND old.name = %s AND new.name = %s
            """,
            (model, OLD, new),
        )
        table = openupgrade.get_model2table(model)
        cr.execute(
            "UPDATE ir_model_data SET module = %s WHERE module = %s"
            " AND model = 'ir.model.fields.selection' AND name LIKE %s",
            (new, OLD, f"selection__{table}__%"),
        )
    for model, names in spec["fields"].items():
        openupgrade.update_module_moved_fields(cr, model, names, OLD, new)
        table = openupgrade.get_model2table(model)
        for name in names:
            cr.execute(
                "UPDATE ir_model_data SET module = %s WHERE module = %s"
                " AND model = 'ir.model.fields.selection' AND name LIKE %s",
                (new, OLD, f"selection__{table}__{name}__%"),
            )
    for model, values_by_field in spec.get("selections", {}).items():
        table = openupgrade.get_model2table(model)
        for name, values in values_by_field.items():
            cr.execute(
                "UPDATE ir_model_data SET module = %s WHERE module = %s"
                " AND model = 'ir.model.fields.selection' AND name = ANY(%s)",
                (new, OLD, [f"selection__{table}__{name}__{value}" for value in values]),
            )
    cr.execute(
        "UPDATE ir_model_data SET module = %s WHERE module = %s AND name = ANY(%s)",
        (new, OLD, spec["xmlids"]),
    )
    # The many2many tables of the moved fields: dropped with the addon that owns them.
    cr.execute(
        """
        UPDATE ir_model_relation rel SET module = new.id
          FROM ir_model_fields field
          JOIN ir_model_data imd ON imd.model = 'ir.model.fields' AND imd.res_id = field.id,
               ir_module_module new, ir_module_module old
         WHERE imd.module = %s AND new.name = %s AND old.name = %s
           AND rel.module = old.id AND rel.name = field.relation_table
        """,
        (new, new, OLD),
    )
    # Odoo names the _inherits parent of a record it loads <xmlid>_<parent table>
    # (a cron's server action: <cron>_ir_actions_server): it goes with its record,
    # as a fresh install of the new addon has it.
    cr.execute(
        """
        UPDATE ir_model_data parent SET module = %s
          FROM ir_model_data child
         WHERE child.module = %s AND child.name = ANY(%s) AND parent.module = %s
           AND parent.name = child.name || '_' || replace(parent.model, '.', '_')
        """,
        (new, new, spec["xmlids"], OLD),
    )


def _graph_node(name):
    """The node of module ``name`` in the graph Odoo is loading now, or None.

    Odoo decides how it loads a module (install or update) from the state its
    node had when the graph was built, before this script runs: the node of the
    module being migrated (``pkg`` of ``MigrationManager.migrate_module``) leads to
    the graph."""
    frame = inspect.currentframe()
    while frame is not None:
        graph = getattr(frame.f_locals.get("pkg"), "module_graph", None)
        if graph is not None:
            return graph[name] if name in graph else None
        frame = frame.f_back
    return None


def _load_as_update(cr, new):
    """Load the new addon in this run, as an update of what it now owns: its
    ``noupdate`` data (which companies may have edited) stays, its demo data is
    not loaded twice and its demo functions do not run again. Also when the update
    already marked it to install (a bridge of ours that is installed now depends
    on it): installed anew, it would load its data over the company's edits."""
    cr.execute(
        """
        UPDATE ir_module_module new
           SET state = 'to upgrade', demo = old.demo
          FROM ir_module_module old
         WHERE new.name = %s AND new.state IN ('uninstalled', 'to install') AND old.name = %s
     RETURNING new.demo
        """,
        (new, OLD),
    )
    row = cr.fetchone()
    if not row:
        return
    node = _graph_node(new)
    if node is not None and node.state == "to install":
        node.state = "to upgrade"
        node.demo = row[0]
    _logger.info("%s takes over its part of %s and is loaded now", new, OLD)


# The arch a view of this module has until this update loads it again from its file.
NEUTRAL_ARCH = {
    "form": "<form/>",
    "list": "<list/>",
    "search": "<search/>",
    "kanban": '<kanban><templates><t t-name="card"/></templates></kanban>',
}


def _neutralize_views(cr):
    """Odoo checks each view it loads against the views of this module already in
    the database, whose old arch may name a field or button that now lives in
    another addon, not loaded yet. Every view this update reloads from its file
    starts from an arch that names nothing; views that no file defines any more are
    deleted at the end of the update, as usual."""
    cr.execute(
        """
        SELECT view.id, view.type, view.inherit_id IS NOT NULL AND view.mode = 'extension'
          FROM ir_ui_view view
          JOIN ir_model_data imd ON imd.model = 'ir.ui.view' AND imd.res_id = view.id
         WHERE imd.module = %s AND NOT imd.noupdate
        """,
        (OLD,),
    )
    for view_id, view_type, extension in cr.fetchall():
        arch = "<data/>" if extension else NEUTRAL_ARCH.get(view_type)
        if arch:
            cr.execute(
                "UPDATE ir_ui_view SET arch_db = jsonb_build_object('en_US', %s) WHERE id = %s",
                (arch, view_id),
            )


def migrate(cr, version):
    if not version:
        return
    _neutralize_views(cr)
    for new, spec in MOVES.items():
        _move(cr, new, spec)
        _load_as_update(cr, new)
