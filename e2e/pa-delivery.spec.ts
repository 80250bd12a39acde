/**
 * A PA whose message the PBX has lost: Spoolcast copied the recording to the host's sounds
 * directory, then the file disappeared from it (deleted on the PBX). The simulator, like
 * Asterisk, answers the message's S with Z ("Unknown file requested"): the callees who answer
 * must show "Answered, message not played" with the cause, never "Heard", count unreached,
 * and be included by "Re-call unreached". Callees (e2e/support/sim-callees.json): London
 * numbers +44 20 7946 01xx answer. Numbers no other spec imports: the contacts import flags
 * a number already in the address book as a duplicate, so sharing one would break theirs.
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ensureAdmin } from "./support/accounts";
import { toneWav } from "./support/tone-wav";

/** Every .wav under `dir`, recursively, with its path relative to `dir`. */
function wavFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".wav")) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

async function soundsDirOfDefaultHost(page: Page): Promise<string> {
  await page.goto("/settings");
  await page.locator('a[href^="/settings/hosts/c"]').first().click();
  const dir = await page.getByLabel("Sounds root").inputValue();
  expect(path.isAbsolute(dir)).toBe(true);
  return dir;
}

test("a message missing on the PBX: the board says 'Answered, message not played', never Heard, and re-calls them", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await ensureAdmin(page);
  const soundsDir = await soundsDirOfDefaultHost(page);
  const before = new Set(wavFiles(soundsDir));

  // A recording, delivered to the host like any message.
  await page.goto("/messages");
  await page.getByRole("button", { name: "Upload recording" }).click();
  await page
    .getByRole("dialog")
    .locator('input[type="file"]')
    .setInputFiles({ name: "lost.wav", mimeType: "audio/wav", buffer: toneWav(1.5) });
  await page.getByRole("textbox", { name: "Name" }).fill("E2E lost on the PBX");
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect.poll(() => wavFiles(soundsDir).filter((f) => !before.has(f)).length, { timeout: 20_000 }).toBeGreaterThan(0);
  // ... and then lost on the PBX, behind Spoolcast's back.
  for (const f of wavFiles(soundsDir).filter((x) => !before.has(x))) rmSync(path.join(soundsDir, f));

  // Two people; both answer.
  await page.goto("/contacts/groups");
  await page.getByRole("button", { name: "New group" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New group" });
  await dialog.getByLabel("Group name").fill("Lost message drill");
  await dialog.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { name: "Lost message drill" })).toBeVisible();
  await page.goto("/contacts/import");
  await page.getByLabel("Add imported contacts to group").selectOption({ label: "Lost message drill" });
  const csv = ["Full name,Mobile", "Lost 05,+442079460105", "Lost 06,+442079460106"].join("\n");
  await page.getByLabel("CSV file").setInputFiles({ name: "lost.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  await page.getByRole("button", { name: "Import 2 valid row(s)" }).click();
  await expect(page.getByRole("heading", { name: "Import finished" })).toBeVisible();

  await page.goto("/pa");
  await page.getByRole("checkbox", { name: /Lost message drill/ }).check();
  await page.getByRole("radio", { name: "From the library" }).check();
  await page.getByLabel("Library message").selectOption({ label: "E2E lost on the PBX" });
  await page.getByRole("button", { name: "Review PA" }).click();
  await page.getByRole("dialog", { name: "Send this PA now?" }).getByRole("button", { name: "Send PA to 2 phones" }).click();
  await expect(page).toHaveURL(/\/pa\/[a-z0-9]+$/, { timeout: 30_000 });
  const firstBoard = page.url();

  await expect(page.getByRole("main").getByText("Finished", { exact: true })).toBeVisible({ timeout: 90_000 });
  const notPlayed = page.locator('tbody tr[data-state="not-played"]');
  await expect(notPlayed).toHaveCount(2);
  for (const name of ["Lost 05", "Lost 06"]) {
    const row = page.getByRole("row", { name: new RegExp(name) });
    await expect(row).toContainText("Answered, message not played");
    await expect(row).toContainText("sound missing on the PBX");
  }
  await expect(page.locator("tbody")).not.toContainText("Heard");
  const counters = page.getByRole("region", { name: "Counters" });
  await expect(counters).toContainText("Reached0");
  await expect(counters).toContainText("Unreached2");

  // Re-call unreached takes both: their message did not play.
  await page.getByRole("button", { name: "Re-call unreached (2)" }).click();
  // Re-calling asks first (components/ui/confirm-button.tsx).
  await page.getByRole("alertdialog", { name: "Re-call 2 unreached phones?" }).getByRole("button", { name: "Re-call 2" }).click();
  await expect(page.getByText("Re-call sent to 2 phones")).toBeVisible();
  await expect(page).not.toHaveURL(firstBoard);
  await expect(page.locator("tbody tr")).toHaveCount(2);
});
