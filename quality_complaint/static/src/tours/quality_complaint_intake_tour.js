import { registry } from "@web/core/registry";

/**
 * Customer service opens a sale order, reports a quality complaint, fills
 * Table 1, registers it and sees it graded; the acknowledgement follows by its cron.
 */
registry.category("web_tour.tours").add("quality_complaint_intake_tour", {
    steps: () => [
        {
            content: "Report a complaint from the sale order",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_report_quality_complaint']",
            run: "click",
        },
        {
            content: "The complaint form is pre-filled from the order",
            trigger: ".o_form_view .o_field_widget[name='sale_order_id'] input:value(/S\\d+/)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='product_id'] input:value(Tour Kettle)",
        },
        {
            content: "Pick the lot delivered to the customer",
            trigger: ".o_field_widget[name='lot_ids'] input",
            run: "edit TOUR-LOT",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(TOUR-LOT-1)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='lot_ids'] .o_tag:contains(TOUR-LOT-1)",
        },
        {
            content: "Say when and where it happens",
            trigger: ".o_field_widget[name='occurrence'] textarea",
            run: "edit In the kitchen, every time it is filled above one litre.",
        },
        {
            trigger: ".o_field_widget[name='impact_level'] :is(input, .o_select_menu_toggler)",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains(Main function lost)",
            run: "click",
        },
        {
            content: "The impact is set before moving on",
            trigger: ".o_field_widget[name='impact_level'] input:value('Main function lost')",
        },
        {
            trigger: ".o_field_widget[name='defect_category_id'] input",
            run: "edit Function",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Function failure)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='customer_request'] :is(input, .o_select_menu_toggler)",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains(Exchange)",
            run: "click",
        },
        {
            content: "The request is set before moving on",
            trigger: ".o_field_widget[name='customer_request'] input:value('Exchange')",
        },
        {
            content: "Describe the defect in Table 1, with the other registration facts",
            trigger: ".o_notebook .tab-pane.active .o_field_html[name='description'] .odoo-editor-editable",
            run: "editor Water drips from the base seam whenever the kettle is filled above one litre.",
        },
        {
            content: "Table 1 has no separate Description page",
            trigger: ".o_notebook:not(:has(.nav-link[name='description']))",
        },
        {
            content: "Back to Table 1: leaving the description keeps it",
            trigger: ".o_field_widget[name='occurrence'] textarea",
            run: "click",
        },
        {
            trigger: ".o_field_html[name='description']:contains(Water drips from the base seam)",
        },
        {
            content: "Nothing is missing any more",
            trigger: ".o_form_view:not(:has(div[name='registration_missing']:visible))",
        },
        {
            content: "Register the complaint",
            trigger: ".o_statusbar_buttons button[name='action_register_complaint']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='complaint_state']:contains(Registered)",
        },
        {
            content: "Graded at once: the response deadline is shown",
            trigger: ".o_field_widget[name='grade_id']:contains(Important)",
        },
    ],
});
