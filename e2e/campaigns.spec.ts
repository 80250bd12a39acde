/**
 * Campaigns against the bundled simulator with known callees (e2e/support/sim-callees.json):
 * a campaign honours each callee's calling window, retries a busy callee, skips a DNC number
 * with the reason; pause stops new calls and resume continues; the results view and its CSV
 * export list exactly the campaign's calls; a call's timeline shows the acknowledgement.
 */
import { expect, test, type Page } from "@playwright/test";
import { DateTime } from "luxon";
import Papa from "papaparse";
import { ensureAdmin } from "./support/accounts";
import { toneWav } from "./support/tone-wav";

test.describe.configure({ mode: "serial" });

async function shots(page: Page, name: string) {
  if (!process.env.SHOTS) return;
  for (const [w, h] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `test-results/screens/${name}-${w}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function addContact(page: Page, name: string, number: string, zone: string) {
  await page.goto("/contacts/new");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Number 1").fill(number);
  await page.getByLabel("Time zone").fill(zone);
  await page.getByRole("button", { name: "Add contact" }).click();
  await expect(page.getByText(`${name} added`)).toBeVisible();
}

async function pickContact(page: Page, name: string) {
  await page.getByLabel("Find contacts by name or number").fill(name);
  await page.getByRole("button", { name: "Find" }).click();
  const item = page
    .getByRole("listitem")
    .filter({ hasText: name })
    .filter({ has: page.getByRole("button", { name: "Add" }) });
  await item.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("list", { name: "Chosen contacts" }).getByText(name)).toBeVisible();
}

type WizardOptions = {
  name: string;
  contacts: string[];
  windowStart?: string;
  windowEnd?: string;
  maxConcurrent?: string;
  retries?: string;
  retryMinutes?: string;
};

async function createAndStart(page: Page, o: WizardOptions): Promise<string> {
  await page.goto("/campaigns/new");
  await expect(page.getByRole("heading", { name: "New campaign" })).toBeVisible();
  // Next without a name or audience: the field errors show on this step.
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText("Enter a name")).toBeVisible();
  await expect(page.getByText("Choose at least one group or contact")).toBeVisible();
  await page.getByLabel("Campaign name").fill(o.name);
  for (const c of o.contacts) await pickContact(page, c);
  await shots(page, "campaign-wizard");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Message").selectOption({ label: "E2E reminder" });
  await page.getByRole("button", { name: "Next" }).click();
  for (const d of ["Sat", "Sun"]) await page.getByLabel(d, { exact: true }).check();
  if (o.windowStart) await page.getByLabel("From").fill(o.windowStart);
  if (o.windowEnd) await page.getByLabel("Until").fill(o.windowEnd);
  await page.getByRole("button", { name: "Next" }).click();
  if (o.maxConcurrent) await page.getByLabel("At most this many calls at once").fill(o.maxConcurrent);
  if (o.retries) await page.getByLabel("Retries", { exact: true }).fill(o.retries);
  if (o.retryMinutes) await page.getByLabel("Minutes between retries").fill(o.retryMinutes);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("heading", { name: "Review" })).toBeVisible();
  await page.getByRole("button", { name: "Create and start" }).click();
  await expect(page.getByRole("heading", { name: o.name })).toBeVisible();
  return new URL(page.url()).pathname.split("/").pop()!;
}

const counts = (page: Page) => page.getByTestId("target-counts");

test("setup: a message, contacts in two time zones, a DNC number", async ({ page }) => {
  await ensureAdmin(page);
  await page.goto("/messages");
  await page.getByRole("button", { name: "Upload recording" }).click();
  await page
    .getByRole("dialog")
    .locator('input[type="file"]')
    .setInputFiles({ name: "reminder.wav", mimeType: "audio/wav", buffer: toneWav(1) });
  await page.getByRole("textbox", { name: "Name" }).fill("E2E reminder");
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("dialog")).toBeHidden();

  await addContact(page, "Alice Ack", "+442079460101", "Europe/London");
  await addContact(page, "Bob Busy", "+442079460102", "Europe/London");
  await addContact(page, "Kenji Auckland", "+442079460103", "Pacific/Auckland");
  await addContact(page, "Dan Optout", "+442079460104", "Europe/London");
  await addContact(page, "Eve Slow", "+442079460111", "Europe/London");
  await addContact(page, "Finn Slow", "+442079460112", "Europe/London");

  await page.goto("/campaigns/dnc");
  await page.getByLabel("Phone number").fill("12");
  await page.getByRole("button", { name: "Add to list" }).click();
  await expect(page.getByLabel("Phone number")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Phone number").fill("+44 20 7946 0104");
  await page.getByLabel("Reason").fill("asked by phone");
  await page.getByRole("button", { name: "Add to list" }).click();
  await expect(page.getByRole("cell", { name: "+44 20 7946 0104", exact: true })).toBeVisible();
  await shots(page, "campaign-dnc");
});

test("a campaign calls only inside each callee's window, retries the busy callee, skips DNC; results and CSV match", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await ensureAdmin(page);
  // A three-hour window around London's current time: open in London, closed in Auckland
  // (11–13 hours ahead), whatever the time of day the test runs.
  const london = DateTime.now().setZone("Europe/London");
  const start = Math.max(0, london.hour - 1);
  const end = Math.min(23, london.hour + 2);
  const id = await createAndStart(page, {
    name: "E2E window and retries",
    contacts: ["Alice Ack", "Bob Busy", "Kenji Auckland", "Dan Optout"],
    windowStart: `${String(start).padStart(2, "0")}:00`,
    windowEnd: end === 23 ? "23:59" : `${String(end).padStart(2, "0")}:00`,
    retries: "1",
    retryMinutes: "0.1",
  });
  await expect(page.getByTestId("skipped-table").getByRole("row").filter({ hasText: "Dan Optout" })).toContainText(
    "on the do-not-call list",
  );
  // Alice acknowledged, Bob busy twice (one retry), Kenji held by his window (11 pm–ish in Auckland).
  await expect(counts(page)).toContainText("1 waiting · 0 in progress · 2 finished · 1 skipped", { timeout: 90_000 });
  const targets = page.getByTestId("targets-table");
  // Cells: name, number, status, calls, last outcome (in plain words).
  await expect(targets.getByRole("row").filter({ hasText: "Alice Ack" }).getByRole("cell").nth(4)).toHaveText("Confirmed");
  const bob = targets.getByRole("row").filter({ hasText: "Bob Busy" });
  await expect(bob.getByRole("cell").nth(3)).toHaveText("2");
  await expect(bob.getByRole("cell").nth(4)).toHaveText("Busy");
  const kenji = targets.getByRole("row").filter({ hasText: "Kenji Auckland" });
  await expect(kenji.getByRole("cell").nth(2)).toContainText("Waiting");
  await expect(kenji.getByRole("cell").nth(3)).toHaveText("0");
  await expect(page.getByTestId("stat-calls-placed")).toHaveText("3");
  await expect(page.getByTestId("stat-acknowledged")).toHaveText("33.3%");
  await expect(page.getByText("running", { exact: true })).toBeVisible();
  // The chart's groups with what they are made of: busy is "Not reached", not a failure.
  await expect(page.getByTestId("outcome-groups")).toContainText("Confirmed 1:Confirmed 1");
  await expect(page.getByTestId("outcome-groups")).toContainText("Not reached 2:Busy 2");
  await shots(page, "campaign-detail");

  // Results for this campaign: three calls; the export has the same three.
  await page.getByRole("link", { name: "All calls" }).click();
  await expect(page.getByRole("heading", { name: "Results" })).toBeVisible();
  const rows = page.getByTestId("results-table").getByRole("row");
  await expect(rows).toHaveCount(4);
  await expect(page.getByTestId("results-total")).toContainText("3 calls");
  const ids = (
    await page
      .getByTestId("results-table")
      .locator('a[href^="/results/"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")!.split("/").pop()!))
  ).sort();
  const href = await page.getByTestId("export-csv").getAttribute("href");
  expect(href).toContain(`campaign=${id}`);
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/csv");
  const csv = Papa.parse<string[]>((await res.text()).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
  expect(csv[0]!.slice(0, 5)).toEqual(["call_id", "kind", "outcome", "state_code", "destination"]);
  expect(
    csv
      .slice(1)
      .map((r) => r[0])
      .sort(),
  ).toEqual(ids);
  expect(
    csv
      .slice(1)
      .map((r) => [r[2], r[3]])
      .sort(),
  ).toEqual([
    ["Busy", "busy"],
    ["Busy", "busy"],
    ["Confirmed", "acknowledged"],
  ]);
  expect(csv.slice(1).every((r) => r[4]!.startsWith("'+44"))).toBe(true);
  await shots(page, "results");

  // Filter by outcome, then open Alice's call: its timeline shows the key press.
  await page.getByLabel("Outcome").selectOption("acknowledged");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(rows).toHaveCount(2);
  await page.getByTestId("results-table").locator('a[href^="/results/"]').first().click();
  await expect(page.getByRole("heading", { name: "Alice Ack" })).toBeVisible();
  await expect(page.getByTestId("timeline")).toContainText("Confirmed");
  await expect(page.getByTestId("attempts-table")).toBeVisible();
  await shots(page, "results-call");
});

test("pause stops new calls, resume continues to completion", async ({ page }) => {
  test.setTimeout(150_000);
  await ensureAdmin(page);
  await createAndStart(page, {
    name: "E2E pause and resume",
    contacts: ["Eve Slow", "Finn Slow"],
    maxConcurrent: "1",
    windowStart: "00:00",
    windowEnd: "23:59",
  });
  // One call at a time: wait for the first to be out, then pause while it is still ringing/talking.
  await expect(counts(page)).toContainText("1 in progress", { timeout: 30_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByText("paused", { exact: true })).toBeVisible();
  await expect(counts(page)).toContainText("0 in progress", { timeout: 30_000 });
  // The call out when we paused either finished (it had started dialling) or was withdrawn
  // (it had not): either way the second callee was not called.
  const text = (await counts(page).textContent()) ?? "";
  expect(text).toMatch(/1 waiting · 0 in progress · 1 finished|2 waiting · 0 in progress · 0 finished/);
  await page.reload();
  await expect(counts(page)).toHaveText(text);
  await shots(page, "campaign-paused");

  // Pacing may change while paused; a bad value is refused next to its field.
  await page.getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Calls at once").fill("0");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByLabel("Calls at once")).toHaveAttribute("aria-invalid", "true");
  await dialog.getByLabel("Calls at once").fill("2");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("2 at once, 60 per minute")).toBeVisible();

  await page.getByRole("button", { name: "Resume" }).click();
  await expect(counts(page)).toContainText("0 waiting · 0 in progress · 2 finished", { timeout: 60_000 });
  await expect(page.getByText("completed", { exact: true })).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId("stat-reached")).toHaveText("100%");

  await page.goto("/campaigns");
  const row = page.getByRole("row").filter({ hasText: "E2E pause and resume" });
  await expect(row).toContainText("completed");
  await expect(row).toContainText("2/2");
  await shots(page, "campaigns");
});
