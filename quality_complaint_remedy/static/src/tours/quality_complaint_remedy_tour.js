import { registry } from "@web/core/registry";

/**
 * Customer service proposes the remedy plan of a registered complaint, executes
 * it, sends the result, records the customer's satisfaction and the call-back,
 * and closes the complaint.
 */
registry.category("web_tour.tours").add("quality_complaint_remedy_tour", {
    steps: () => [
        {
            content: "Propose the remedy plan from the grade and the customer's request",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_propose_remedy_plan']",
            run: "click",
        },
        {
            content: "The complaint moves to the remedy step",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Remedy)",
        },
        {
            trigger: ".o_notebook .nav-link[name='complaint_remedies']",
            run: "click",
        },
        {
            content: "The plan holds the cosmetic-repair instructions",
            trigger: ".o_field_widget[name='remedy_ids'] .o_data_row:contains(Cosmetic-repair instructions)",
        },
        {
            content: "Execute it: the instructions go to the customer",
            trigger: ".o_field_widget[name='remedy_ids'] .o_data_row:contains(Cosmetic-repair instructions) button[name='action_execute']",
            run: "click",
        },
        {
            content: "The remedy is executed",
            trigger: ".o_field_widget[name='remedy_ids'] .o_data_row:contains(Cosmetic-repair instructions) .o_field_widget[name='state']:contains(Executed)",
        },
        {
            content: "The result is now due to the customer",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_qc_preview_result']",
            run: "click",
        },
        {
            content: "The preview shows the message as the customer gets it",
            trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row:contains(what we did about your complaint):not(:contains({{))",
        },
        {
            content: "Send it",
            trigger: ".modal .modal-footer button[name='action_send']",
            run: "click",
        },
        {
            content: "The customer answered on the phone",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_qc_record_feedback']",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='outcome'] input[data-value='satisfied']",
            run: "click",
        },
        {
            trigger: ".modal .modal-footer button[name='action_record']",
            run: "click",
        },
        {
            content: "The case is handled: the 30-day call-back follows",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Follow-up)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_record_followup']",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='outcome'] input[data-value='solved']",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='note'] textarea",
            run: "edit The customer says the lid is clean again.",
        },
        {
            trigger: ".modal .modal-footer button[name='action_apply']:visible",
            run: "click",
        },
        {
            content: "Close the complaint",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_close_complaint']",
            run: "click",
        },
        {
            content: "The complaint is closed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Closed)",
        },
    ],
});
