/**
 * Times on the viewer's clock: a browser in New York sees New York times (zone named) on the
 * results page, a PA board, the engine page and the audit page, never the server's UTC, also
 * not in the server-rendered HTML; the zone chosen in Your account overrides the browser's.
 */
import { expect, test, type Page } from "@playwright/test";
import { formatInstant } from "../lib/time/format-instant";
import { ensureAdmin } from "./support/accounts";
import { importGroup, sendTextPa, shot } from "./support/ui-fixtures";

test.use({ timezoneId: "America/New_York", locale: "en-US" });
test.describe.configure({ mode: "serial" });

let boardPath = "";

/** Every time on the page is on `zone`'s clock, its exact words (text or tooltip) as formatted there. */
async function expectTimesOn(page: Page, zone: string, zoneName: RegExp) {
  const times = page.getByRole("main").locator("time[datetime]");
  await expect(times.first()).toHaveAttribute("data-zone", zone);
  const all = await times.evaluateAll((els) =>
    els.map((e) => ({
      iso: e.getAttribute("datetime")!,
      zone: e.getAttribute("data-zone"),
      title: e.getAttribute("title") ?? "",
      text: e.textContent ?? "",
    })),
  );
  expect(all.length).toBeGreaterThan(0);
  for (const t of all) {
    expect(t.zone).toBe(zone);
    const d = new Date(t.iso);
    const expected = [formatInstant(d, zone, "en-US"), formatInstant(d, zone, "en-US", { seconds: true })];
    expect(expected.some((words) => t.title.startsWith(words))).toBe(true);
    expect(t.title).toMatch(zoneName);
    expect(t.text).not.toMatch(/UTC/);
  }
}

test("setup: a PA to one phone, so every page has times", async ({ page }) => {
  await ensureAdmin(page);
  await importGroup(page, "Zone drill", ["Zed Zone,+12125550451"]);
  boardPath = await sendTextPa(page, "Zone drill", 1, "Time zone check.");
});

test("a New York browser sees New York times on the board, results, engine and audit pages", async ({ page }) => {
  await ensureAdmin(page);
  for (const path of [boardPath, "/results", "/settings/engine", "/settings/audit"]) {
    await page.goto(path);
    await expectTimesOn(page, "America/New_York", /\b(EST|EDT)\b/);
    await shot(page, `new-york${path.replaceAll("/", "-")}`);
  }
  // Recent events read as relative words, the exact time in the tooltip.
  await expect(page.getByRole("main").locator("time[datetime]").first()).toHaveText(/just now|\d+ min ago/);
  await shot(page, "audit-new-york");

  // The server cannot know the browser's zone: it renders no time at all, never one in UTC.
  const html = await (await page.request.get("/settings/audit")).text();
  expect(html).toContain("<time");
  expect(html).not.toMatch(/<time[^>]*>[^<]*\d/);
});

test("the zone chosen in Your account overrides the browser's, and back", async ({ page }) => {
  await ensureAdmin(page);
  await page.goto("/account");
  const field = page.getByLabel("Show times in");
  await expect(field.locator("option").first()).toHaveText("Your browser's time zone (America/New_York)");
  await field.selectOption("Asia/Tokyo");
  await page.getByRole("button", { name: "Save time zone" }).click();
  await expect(page.getByText("Times now shown in Asia/Tokyo")).toBeVisible();
  await shot(page, "account-time-zone");
  try {
    for (const path of [boardPath, "/results", "/settings/audit"]) {
      await page.goto(path);
      await expectTimesOn(page, "Asia/Tokyo", /GMT\+9/);
    }
  } finally {
    await page.goto("/account");
    await page.getByLabel("Show times in").selectOption("");
    await page.getByRole("button", { name: "Save time zone" }).click();
    await expect(page.getByText("Times now follow your browser")).toBeVisible();
  }
  await page.goto("/settings/audit");
  await expectTimesOn(page, "America/New_York", /\b(EST|EDT)\b/);
});
