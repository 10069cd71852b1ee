import { registry } from "@web/core/registry";
import {
    StatusBarDurationField,
    statusBarDurationField,
} from "@mail/views/fields/statusbar_duration/statusbar_duration_field";

/**
 * The ticket's status bar, for complaints: a move the server refuses (a closing
 * rule, a step not done yet) leaves the form as it was, not dirty on the refused
 * stage where every next button would send the refused move again.
 */
export class ComplaintStatusBarField extends StatusBarDurationField {
    async selectItem(item) {
        const { name, record } = this.props;
        // Nothing else pending: back to the saved values; else only the stage goes back.
        const wasSaved = Boolean(record.resId) && !(await record.isDirty());
        const previous = record.data[name];
        let saved = false;
        try {
            saved = await super.selectItem(item);
            saved = !(await record.isDirty());
        } finally {
            if (!saved) {
                if (wasSaved) {
                    await record.discard();
                } else {
                    await record.update({ [name]: previous });
                }
            }
        }
    }
}

export const complaintStatusBarField = {
    ...statusBarDurationField,
    component: ComplaintStatusBarField,
};

registry.category("fields").add("qc_complaint_statusbar", complaintStatusBarField);
