import { registry } from "@web/core/registry";

/**
 * Customer service works the remedy plan as a plan: proposes it, approves all
 * its lines, executes all of them in one go, and the progress shows it.
 */
registry.category("web_tour.tours").add("quality_complaint_remedy_plan_tour", {
    steps: () => [
        {
            content: "Propose the remedy plan from the grade",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_propose_remedy_plan']",
            run: "click",
        },
        {
            trigger: ".o_notebook .nav-link[name='complaint_remedies']",
            run: "click",
        },
        {
            content: "Nothing is done yet: 0 of the 2 remedies",
            trigger: ".o_field_widget[name='qc_remedy_done_count'] .o_progress[aria-valuenow='0'][aria-valuemax='2']",
        },
        {
            content: "Approve the whole plan",
            trigger: ".o_qc_remedy_plan_bar button[name='action_qc_approve_all_remedies']",
            run: "click",
        },
        {
            content: "Every line is approved",
            trigger: ".o_field_widget[name='remedy_ids']:not(:has(.o_field_widget[name='state']:contains(Planned))) .o_data_row .o_field_widget[name='state']:contains(Approved)",
        },
        {
            content: "Execute the whole plan in one go",
            trigger: ".o_qc_remedy_plan_bar button[name='action_qc_execute_all_remedies']",
            run: "click",
        },
        {
            content: "The user is told what was done",
            trigger: ".o_notification:contains(2 of 2 remedies executed)",
        },
        {
            content: "The progress shows the plan carried out",
            trigger: ".o_field_widget[name='qc_remedy_done_count'] .o_progress[aria-valuenow='2'][aria-valuemax='2']",
        },
        {
            content: "Both lines are executed",
            trigger: ".o_field_widget[name='remedy_ids']:not(:has(.o_field_widget[name='state']:contains(Approved))) .o_data_row .o_field_widget[name='state']:contains(Executed)",
        },
        {
            content: "Nothing is left to execute",
            trigger: ".o_form_view:not(:has(button[name='action_qc_execute_all_remedies']))",
        },
    ],
});
