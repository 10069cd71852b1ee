import { registry } from "@web/core/registry";

/**
 * The quality officer starts the investigation of a complaint in one click: it
 * opens in progress on the complaint's lot; a material root cause proposes the
 * vendor who delivered the lot; the analysis goes to the quality manager.
 */
registry.category("web_tour.tours").add("quality_complaint_investigation_start_tour", {
    steps: () => [
        {
            content: "One click on the complaint",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_start_investigation']",
            run: "click",
        },
        {
            content: "The investigation opens on the complaint's lot",
            trigger: ".o_form_view .o_field_widget[name='lot_ids'] .o_tag:contains(TOUR-HO-LOT)",
        },
        {
            content: "... already in progress: no Start to click",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(In progress)",
        },
        {
            trigger: ".o_form_view:not(:has(.o_statusbar_buttons button[name='action_start']))",
        },
        {
            trigger: ".o_notebook .nav-link:contains(Root Cause)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='why_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='why_ids'] .o_selected_row .o_field_widget[name='why'] input",
            run: "edit Why does the kettle leak?",
        },
        {
            trigger: ".o_field_widget[name='why_ids'] .o_selected_row .o_field_widget[name='because'] input",
            run: "edit The supplier's gasket lot was out of specification.",
        },
        {
            content: "A material root cause",
            trigger: ".o_field_widget[name='root_cause_category'] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains(Material)",
            run: "click",
        },
        {
            content: "The vendor who delivered the lot is proposed",
            trigger: ".o_field_widget[name='supplier_id'] input:value(Tour Vendor)",
        },
        {
            trigger: ".o_field_widget[name='root_cause_summary'] textarea",
            run: "edit The supplier's gasket lot was out of specification.",
        },
        {
            content: "Submit the analysis",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_mark_analysed']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Analysed)",
        },
    ],
});

/** The quality manager finds the approval waiting for him and approves. */
registry.category("web_tour.tours").add("quality_complaint_investigation_approval_tour", {
    steps: () => [
        {
            content: "The approval waits in the chatter",
            trigger: ".o-mail-Activity:contains(Approve the analysis of)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_approve']",
            run: "click",
        },
        {
            trigger: ".o_form_view .ribbon:contains(Approved)",
        },
        {
            content: "... and is done",
            trigger: ".o-mail-Chatter:not(:has(.o-mail-Activity:contains(Approve the analysis of)))",
        },
    ],
});

/** A second investigation by hand on the lot: the form names the open one and opens it. */
registry.category("web_tour.tours").add("quality_complaint_investigation_duplicate_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name='title'] input",
            run: "edit Kettles leak again",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='lot_ids'] input",
            run: "edit TOUR-HO-LOT",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(TOUR-HO-LOT)",
            run: "click",
        },
        {
            content: "The banner names the open investigation of the lot",
            trigger: ".o_qc_open_investigation_banner .o_field_widget[name='qc_open_investigation_id']:contains(INV/)",
        },
        {
            trigger: ".o_qc_open_investigation_banner button.o_qc_open_investigation",
            run: "click",
        },
        {
            content: "The open investigation is shown, nothing new was saved",
            trigger: ".o_form_view .o_field_widget[name='title'] input:value(Tour Kettle - lot TOUR-HO-LOT)",
        },
    ],
});
