import { registry } from "@web/core/registry";

/**
 * Customer service tries to close a complaint nobody has contacted yet: the
 * server refuses, and the form is as it was (the previous step, nothing to save),
 * so the next button does what it says instead of repeating the error.
 */
registry.category("web_tour.tours").add("quality_complaint_refused_stage_tour", {
    steps: () => [
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Registered)",
        },
        {
            content: "Closed is folded in the status bar's menu",
            trigger: ".o_statusbar_status button.dropdown-toggle.o_first:not(.d-none)",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .dropdown-item:contains(Closed)",
            run: "click",
        },
        {
            content: "The server refuses the move",
            trigger: ".modal:contains(cannot move to Closed)",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The form is back on its step, nothing left to save",
            trigger:
                "body:not(:has(.modal)) .o_statusbar_status .o_arrow_button_current:contains(Registered)",
        },
        {
            trigger: ".o_control_panel:not(:has(.o_form_status_indicator_buttons:not(.invisible)))",
        },
        {
            content: "The next button works",
            trigger: ".o_statusbar_buttons button[name='action_contacted_customer']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='sla_status'] .badge:contains(Met)",
        },
        {
            trigger: "body:not(:has(.modal)) .o_control_panel:not(:has(.o_form_status_indicator_buttons:not(.invisible)))",
        },
    ],
});

/**
 * The complaint list shows each complaint's title and step; a new complaint
 * reads "New complaint" in the breadcrumb and the title until it is saved, and
 * nobody has to tick "Quality complaint".
 */
registry.category("web_tour.tours").add("quality_complaint_screen_tour", {
    steps: () => [
        {
            content: "The list shows the title and the step",
            trigger: ".o_list_view .o_data_row:contains(SCREEN-LOT-1) td[name='name']:contains(Tour kettle hums)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(SCREEN-LOT-1) td[name='stage_id']:contains(Registered)",
        },
        {
            trigger: ".o_list_view thead th[data-name='stage_id']:contains(Step)",
        },
        {
            content: "A new complaint",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb .active:contains(New complaint)",
        },
        {
            trigger: ".o_form_view h1:contains(New complaint)",
        },
        {
            content: "Nobody has to tick 'Quality complaint'",
            trigger: ".o_form_view:not(:has(.o_field_widget[name='is_quality_complaint']))",
        },
    ],
});

/** A cancelled complaint is read-only for customer service, status bar included. */
registry.category("web_tour.tours").add("quality_complaint_closed_readonly_tour", {
    steps: () => [
        {
            content: "A cancelled complaint is read-only for customer service",
            trigger: ".o_form_view .o_field_widget[name='name'].o_readonly_modifier",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.dropdown-toggle:disabled",
        },
    ],
});
