/**
 * On the server LocalTime renders no time at all: the server's zone (UTC in production) is not
 * the viewer's, so any time it printed would be wrong for a browser in New York. The browser
 * fills it in (e2e/time-zone.spec.ts checks the result there).
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LocalTime } from "./local-time";
import { ViewerTimeZoneProvider } from "./viewer-time-zone";

const ISO = "2026-12-04T21:05:09.000Z";

describe("LocalTime on the server", () => {
  it("sends the instant as dateTime and a placeholder, never a formatted time", () => {
    const html = renderToStaticMarkup(createElement(LocalTime, { iso: ISO, relative: true }));
    expect(html).toContain(`dateTime="${ISO}"`);
    expect(html.replace(/<[^>]+>/g, "")).toBe("…");
  });

  it("prints no time even when the user chose a zone, so server and browser agree on hydration", () => {
    const html = renderToStaticMarkup(
      createElement(ViewerTimeZoneProvider, { chosen: "Asia/Tokyo" }, createElement(LocalTime, { iso: ISO })),
    );
    expect(html.replace(/<[^>]+>/g, "")).not.toMatch(/\d/);
  });

  it("shows the fallback for a missing instant", () => {
    expect(renderToStaticMarkup(createElement(LocalTime, { iso: null, fallback: "never" }))).toBe("<span>never</span>");
  });
});
