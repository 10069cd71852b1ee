import { registry } from "@web/core/registry";

/**
 * A quality manager (no administrator) opens the complaint settings, changes the
 * batch-defect threshold and saves.
 */
registry.category("web_tour.tours").add("quality_complaint_settings_tour", {
    steps: () => [
        {
            content: "The complaint settings are open",
            trigger: ".o_setting_container .app_settings_block[data-key='quality_complaint'] #qc_batch_threshold",
        },
        {
            content: "Change the batch threshold",
            trigger: "#qc_batch_threshold .o_field_widget[name='qc_batch_threshold'] input",
            run: "edit 12",
        },
        {
            content: "Save",
            trigger: ".o_control_panel .o_form_button_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The settings are reloaded with the new threshold",
            trigger: "#qc_batch_threshold .o_field_widget[name='qc_batch_threshold'] input:value(12.00)",
        },
    ],
});
