/**
 * "Test the PBX" on the host page, against the bundled simulator (which loads the snippet's
 * self-test context): the button places the self-test calls and shows the passing checklist,
 * and the page then says when the host was last tested. A message of its own is uploaded first,
 * so the self-test plays one the PBX has (another spec deletes its message from the PBX).
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ensureAdmin } from "./support/accounts";
import { toneWav } from "./support/tone-wav";

function wavCount(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) n += wavCount(p);
    else if (name.endsWith(".wav")) n++;
  }
  return n;
}

test("the host page's Test the PBX shows the passing checklist and then the last self-test", async ({ page }) => {
  test.setTimeout(180_000);
  await ensureAdmin(page);
  await page.goto("/settings");
  await page.locator('a[href^="/settings/hosts/c"]').first().click();
  await expect(page).toHaveURL(/\/settings\/hosts\/c[a-z0-9]+$/);
  const hostUrl = page.url();
  const soundsDir = await page.getByLabel("Sounds root").inputValue();
  const before = wavCount(soundsDir);

  await page.goto("/messages");
  await page.getByRole("button", { name: "Upload recording" }).click();
  await page
    .getByRole("dialog")
    .locator('input[type="file"]')
    .setInputFiles({ name: "selftest.wav", mimeType: "audio/wav", buffer: toneWav(1) });
  await page.getByRole("textbox", { name: "Name" }).fill("E2E self-test message");
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect.poll(() => wavCount(soundsDir), { timeout: 20_000 }).toBeGreaterThan(before);

  await page.goto(hostUrl);
  await page.getByRole("button", { name: "Test the PBX" }).click();
  const result = page.getByRole("status", { name: "Self-test result" });
  await expect(result.getByText("The PBX passed the self-test.")).toBeVisible({ timeout: 120_000 });
  const checklist = result.getByRole("list", { name: "Self-test checklist" });
  await expect(checklist.getByRole("listitem")).toHaveCount(8);
  for (const label of [
    "Asterisk picked up the call file",
    "The archive appeared in outgoing_done/",
    "Asterisk answered the test call in [spoolcast-selftest]",
    "The call token came back from Asterisk intact",
    "A system prompt played to its end",
    "A library message played (“E2E self-test message”)",
    "A deliberately failing leg reported its REASON",
  ]) {
    await expect(checklist.getByRole("listitem").filter({ hasText: label })).toHaveAttribute("data-status", "passed");
  }
  await expect(checklist).toContainText("reported REASON 5 (busy)");
  await expect(checklist.locator('[data-status="failed"], [data-status="warning"]')).toHaveCount(0);

  await page.reload();
  await expect(page.getByTestId("last-self-test")).toContainText(/Last self-test: .+ — passed/);
});
