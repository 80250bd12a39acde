/** The outcome badge prints the outcome's words, never the state code it was given. */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CALL_KINDS } from "@/lib/engine/call-state";
import { OUTCOME_STATES, describeOutcome } from "@/lib/calls/outcome-words";
import { OutcomeBadge } from "./outcome-badge";

const text = (html: string) => html.replace(/<[^>]+>/g, "");

describe("OutcomeBadge", () => {
  it("shows the plain label for every state and kind, and the code only as data-state", () => {
    for (const state of OUTCOME_STATES) {
      for (const kind of CALL_KINDS) {
        const call = { state, kind, heardMs: 3000, messageMs: 20_000, reason: null };
        const html = renderToStaticMarkup(createElement(OutcomeBadge, { call }));
        expect(text(html)).toBe(describeOutcome(call).label);
        for (const code of OUTCOME_STATES.filter((c) => c.includes("-"))) expect(text(html)).not.toContain(code);
        expect(html).toContain(`data-state="${state}"`);
      }
    }
  });

  it("adds the cause after the badge when asked", () => {
    const call = { state: "not-played", kind: "pa", reason: "sound missing on the PBX: spoolcast/msg-12" };
    expect(text(renderToStaticMarkup(createElement(OutcomeBadge, { call, detailClassName: "" })))).toBe(
      "Answered, message not playedsound missing on the PBX: spoolcast/msg-12",
    );
    expect(text(renderToStaticMarkup(createElement(OutcomeBadge, { call })))).toBe("Answered, message not played");
  });
});
