/**
 * Confirmations: Re-call asks first in a styled dialog, Escape backs out with focus back on the
 * button (keyboard only), and the re-call can be undone from its toast. The board, the results
 * page and the CSV say outcomes in plain words, never an engine state name.
 */
import Papa from "papaparse";
import { expect, test } from "@playwright/test";
import { ensureAdmin } from "./support/accounts";
import { importGroup, sendTextPa, shot } from "./support/ui-fixtures";

test.describe.configure({ mode: "serial" });

/** Engine state names that are not also plain words (lib/calls/call-state-machine.ts). */
const RAW_STATE = /\b(not-acknowledged|no-answer|retry-wait|not-played|playback-unconfirmed|spooled|expired|dialling|queued)\b/;

let boardPath = "";

test("setup: a PA to three phones that are busy", async ({ page }) => {
  await ensureAdmin(page);
  // +121255504… are busy in e2e/support/sim-callees.json: the PA ends within seconds, all unreached.
  await importGroup(page, "Recall drill", ["Rae One,+12125550401", "Rae Two,+12125550402", "Rae Three,+12125550403"]);
  boardPath = await sendTextPa(page, "Recall drill", 3, "Confirmation check.");
  await expect(page.getByRole("main").getByText("Finished", { exact: true })).toBeVisible({ timeout: 60_000 });
});

test("Re-call asks first; Escape returns focus to the button; the toast's Undo withdraws it", async ({ page }) => {
  await ensureAdmin(page);
  await page.goto(boardPath);
  const recall = page.getByRole("button", { name: "Re-call unreached (3)" });
  await recall.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("alertdialog", { name: "Re-call 3 unreached phones?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("you can undo it");
  await shot(page, "pa-recall-confirm");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(recall).toBeFocused();
  // Nothing was sent.
  await expect(page.getByText(/Follow-up/)).toHaveCount(0);

  await page.keyboard.press("Enter");
  await dialog.getByRole("button", { name: "Re-call 3" }).click();
  await expect(page.getByText("Re-call sent to 3 phones")).toBeVisible();
  await expect(page).not.toHaveURL(new RegExp(`${boardPath}$`));
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText(/^Re-call withdrawn: \d+ calls? withdrawn/)).toBeVisible();
  await expect(page.getByRole("heading", { name: /Stopped/ })).toBeVisible();
  await shot(page, "pa-board-recall-undone");
});

test("the board, the results page and the CSV say outcomes in words, never engine states", async ({ page }) => {
  await ensureAdmin(page);
  await page.goto(boardPath);
  await expect(page.locator("tbody tr")).toHaveCount(3);
  await expect(page.locator("tbody")).toContainText("Busy");
  await shot(page, "pa-board-finished");
  expect(await page.getByRole("main").innerText()).not.toMatch(RAW_STATE);
  // Each row links to its call; the filter shows one outcome.
  await page.getByLabel("Show").selectOption("Not reached");
  await expect(page.locator("tbody tr")).toHaveCount(3);
  await page.getByRole("link", { name: "Rae Two" }).click();
  await expect(page).toHaveURL(/\/results\/[a-z0-9]+$/);
  expect(await page.getByRole("main").innerText()).not.toMatch(RAW_STATE);

  const broadcast = boardPath.split("/").pop()!;
  await page.goto(`/results?broadcast=${broadcast}`);
  await expect(page.getByTestId("results-table")).toContainText("Busy");
  await shot(page, "results-broadcast");
  expect(await page.getByRole("main").innerText()).not.toMatch(RAW_STATE);
  const href = await page.getByTestId("export-csv").getAttribute("href");
  const csv = Papa.parse<string[]>((await (await page.request.get(href!)).text()).replace(/^\uFEFF/, ""), {
    skipEmptyLines: true,
  }).data;
  const outcome = csv[0]!.indexOf("outcome");
  expect(csv.length).toBe(4);
  for (const row of csv.slice(1)) {
    expect(row[outcome]).toBe("Busy");
  }
});
