import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

import { Component } from "@odoo/owl";

/**
 * "Open it" on the banner naming the open investigation of the same lot.
 *
 * A new investigation is discarded first: leaving the form would save it, and
 * the second investigation the banner warns about would be made after all.
 */
export class OpenInvestigationButton extends Component {
    static template = "quality_complaint_investigation.OpenInvestigationButton";
    static props = { ...standardWidgetProps };

    setup() {
        this.action = useService("action");
    }

    get target() {
        return this.props.record.data.qc_open_investigation_id;
    }

    async open() {
        const target = this.target;
        if (!target) {
            return;
        }
        const record = this.props.record;
        if (record.isNew) {
            await record.discard();
        }
        await this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "quality.complaint.investigation",
            res_id: target.id,
            views: [[false, "form"]],
        });
    }
}

registry.category("view_widgets").add("qc_open_investigation", {
    component: OpenInvestigationButton,
});
