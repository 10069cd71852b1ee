import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

import { Component } from "@odoo/owl";

// Geometry of the drawing (SVG user units, the SVG scales to the form width).
const COL_W = 300; // width of one bone's column
const MARGIN = 20;
const HEAD_W = 200;
const SLOPE = 0.4; // horizontal run of a bone per unit of height (short bones)
const MAX_RUN = 140; // long bones stand steeper: their horizontal run stays under this
const FONT = 13;
const LINE_H = 17;
const GAP = 8; // between two causes
const MIN_HALF = 110;
const TEXT_W = COL_W - 50; // room for a cause's text left of its bone
const TOP = ["man", "machine", "material"];
const BOTTOM = ["method", "environment", "measurement"];

/** Width of a character in "units" of an average Latin glyph (CJK is twice as wide). */
function charUnits(ch) {
    const code = ch.codePointAt(0);
    return code >= 0x2e80 ? 2 : 1;
}

/**
 * Wrap ``text`` into lines of at most ``maxUnits``: Latin text breaks between
 * words, CJK text between any two characters, over-long words are cut.
 */
export function wrapText(text, maxUnits) {
    const tokens = [];
    for (const part of (text || "").split(/(\s+)/)) {
        if (!part) {
            continue;
        }
        if (/^\s+$/.test(part)) {
            tokens.push(" ");
            continue;
        }
        // CJK characters are tokens of their own; runs of other characters stay whole
        let run = "";
        for (const ch of part) {
            if (charUnits(ch) === 2) {
                if (run) {
                    tokens.push(run);
                    run = "";
                }
                tokens.push(ch);
            } else {
                run += ch;
            }
        }
        if (run) {
            tokens.push(run);
        }
    }
    const lines = [];
    let line = "";
    let width = 0;
    const push = () => {
        if (line.trim()) {
            lines.push(line.trim());
        }
        line = "";
        width = 0;
    };
    for (let token of tokens) {
        let units = [...token].reduce((sum, ch) => sum + charUnits(ch), 0);
        if (token === " ") {
            if (width) {
                line += " ";
                width += 1;
            }
            continue;
        }
        if (width + units > maxUnits && width) {
            push();
        }
        while (units > maxUnits) {
            // a word longer than a line: cut it
            let cut = "";
            let cutUnits = 0;
            for (const ch of token) {
                if (cutUnits + charUnits(ch) > maxUnits) {
                    break;
                }
                cut += ch;
                cutUnits += charUnits(ch);
            }
            line = cut;
            push();
            token = token.slice(cut.length);
            units -= cutUnits;
        }
        line += token;
        width += units;
    }
    push();
    return lines.length ? lines : [""];
}

export class FishboneField extends Component {
    static template = "quality_complaint.FishboneField";
    static props = { ...standardFieldProps };

    get data() {
        return this.props.record.data[this.props.name] || { effect: "", bones: [] };
    }

    get causeCount() {
        return (this.data.bones || []).reduce((n, bone) => n + bone.causes.length, 0);
    }

    /** Everything the template draws, positioned. */
    get layout() {
        const maxUnits = Math.floor(TEXT_W / (FONT * 0.55));
        const bones = Object.fromEntries((this.data.bones || []).map((b) => [b.category, b]));
        const blocks = (bone) =>
            (bone ? bone.causes : []).map((cause) => {
                const lines = wrapText(cause.text, maxUnits);
                return { lines, root: cause.root, height: lines.length * LINE_H + GAP };
            });
        const halfLength = (codes) =>
            Math.max(
                MIN_HALF,
                ...codes.map(
                    (code) => 22 + blocks(bones[code]).reduce((h, b) => h + b.height, 0) + 30
                )
            );
        const topHalf = halfLength(TOP);
        const bottomHalf = halfLength(BOTTOM);
        const spineY = topHalf + MARGIN;
        const longest = Math.max(topHalf, bottomHalf);
        const slope = Math.min(SLOPE, MAX_RUN / longest);
        // room on the left for the causes of the first bones, far from the spine
        const left = MARGIN + Math.max(0, slope * longest + TEXT_W + 14 - (COL_W - 10));
        const spineEnd = left + 3 * COL_W;
        const width = spineEnd + HEAD_W + MARGIN;
        const height = spineY + bottomHalf + MARGIN;

        const drawn = [];
        const place = (codes, up, half) => {
            codes.forEach((code, index) => {
                const bone = bones[code] || { category: code, label: code, causes: [] };
                const xs = left + (index + 1) * COL_W - 10; // where the bone meets the spine
                const boneX = (d) => xs - slope * d;
                const boneY = (d) => (up ? spineY - d : spineY + d);
                const causes = [];
                let d = 22;
                for (const block of blocks(bone)) {
                    // text block from distance d to d + height, read top to bottom
                    const firstD = up ? d + block.height - GAP : d + FONT;
                    const y = boneY(firstD);
                    const x = boneX(firstD);
                    causes.push({
                        root: block.root,
                        ribX1: x,
                        ribX2: x - 10,
                        ribY: y - FONT / 3,
                        textX: x - 14,
                        lines: block.lines.map((text, i) => ({ text, y: y + i * LINE_H })),
                    });
                    d += block.height;
                }
                drawn.push({
                    category: code,
                    label: bone.label,
                    x1: xs,
                    y1: spineY,
                    x2: boneX(half - 14),
                    y2: boneY(half - 14),
                    labelX: boneX(half - 14),
                    labelY: up ? boneY(half - 14) - 6 : boneY(half - 14) + FONT + 6,
                    empty: !bone.causes.length,
                    causes,
                });
            });
        };
        place(TOP, true, topHalf);
        place(BOTTOM, false, bottomHalf);

        const effectLines = wrapText(this.data.effect || _t("Problem"), 26).slice(0, 4);
        const headH = Math.max(50, effectLines.length * LINE_H + 20);
        return {
            width,
            height,
            spineY,
            spineStart: left - 10,
            spineEnd,
            bones: drawn,
            head: {
                x: spineEnd,
                y: spineY - headH / 2,
                w: HEAD_W,
                h: headH,
                lines: effectLines.map((text, i) => ({
                    text,
                    x: spineEnd + HEAD_W / 2,
                    y: spineY - ((effectLines.length - 1) * LINE_H) / 2 + i * LINE_H + FONT / 3,
                })),
            },
        };
    }
}

export const fishboneField = {
    component: FishboneField,
    displayName: _t("Fishbone diagram"),
    supportedTypes: ["json"],
};

registry.category("fields").add("qc_fishbone", fishboneField);
