import { registry } from "@web/core/registry";

/**
 * A quality officer opens a complaint, starts an investigation, adds two
 * whys and a fishbone cause, and sees the cause drawn on the fishbone.
 */
registry.category("web_tour.tours").add("quality_complaint_investigation_tour", {
    steps: () => [
        {
            content: "Start an investigation from the complaint",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_start_investigation']",
            run: "click",
        },
        {
            content: "The investigation opens on the complaint's lot",
            trigger: ".o_form_view .o_field_widget[name='lot_ids'] .o_tag:contains(TOUR-INV-LOT)",
        },
        {
            trigger: ".o_notebook .nav-link:contains(Root Cause)",
            run: "click",
        },
        {
            content: "First why",
            trigger: ".o_field_widget[name='why_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='why_ids'] .o_selected_row .o_field_widget[name='why'] input",
            run: "edit Why does the kettle leak?",
        },
        {
            trigger: ".o_field_widget[name='why_ids'] .o_selected_row .o_field_widget[name='because'] input",
            run: "edit The base gasket is too thin.",
        },
        {
            content: "Second why",
            trigger: ".o_field_widget[name='why_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='why_ids'] .o_data_row:eq(1).o_selected_row .o_field_widget[name='why'] input",
            run: "edit Why is the gasket too thin?",
        },
        {
            trigger: ".o_field_widget[name='why_ids'] .o_selected_row .o_field_widget[name='because'] input",
            run: "edit The supplier lot was out of specification.",
        },
        {
            content: "A fishbone cause",
            trigger: ".o_field_widget[name='fishbone_cause_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='fishbone_cause_ids'] .o_selected_row .o_field_widget[name='category'] :is(select, input, .o_select_menu_toggler)",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains(Material)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='fishbone_cause_ids'] .o_selected_row .o_field_widget[name='description'] input",
            run: "edit Gasket lot 0.6 mm under thickness",
        },
        {
            trigger: ".o_field_widget[name='fishbone_cause_ids'] .o_selected_row .o_field_widget[name='is_root_cause'] input",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "The cause is drawn on the Material bone, highlighted as root cause",
            trigger: ".o_qc_fishbone svg g[data-category='material'] .o_qc_fishbone_root text:contains(Gasket lot 0.6 mm under thickness)",
        },
        {
            trigger: ".o_field_widget[name='why_ids'] .o_data_row:eq(1) td:contains(Why is the gasket too thin?)",
        },
    ],
});
