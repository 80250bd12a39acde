/**
 * A PBX administrator's contacts: an internal extension (101), an endpoint (PJSIP/101) and an
 * outside number (+44 20 7946 0000) are created in the contact form, shown by kind in the list,
 * put in a group and paged through the bundled simulator, whose callees
 * (e2e/support/sim-callees.json) answer PJSIP/101 and +442079460000 without pressing a key.
 */
import { expect, test } from "@playwright/test";
import { ensureAdmin } from "./support/accounts";

const CONTACTS = [
  { name: "Dest Extension", typed: "101", stored: "101", shown: "Extension 101" },
  { name: "Dest Endpoint", typed: "pjsip/101", stored: "PJSIP/101", shown: "Phone PJSIP/101" },
  { name: "Dest Number", typed: "+44 20 7946 0000", stored: "+442079460000", shown: "+44 20 7946 0000" },
];

test("creates an extension, an endpoint and a number as contacts and pages all three", async ({ page }) => {
  test.setTimeout(180_000);
  await ensureAdmin(page);

  // A hostile value is refused next to its field, nothing is saved.
  await page.goto("/contacts/new");
  await page.getByLabel("Name").fill("Dest Hostile");
  await page.getByLabel("Number 1").fill("PJSIP/101&PJSIP/102");
  await page.getByRole("button", { name: "Add contact" }).click();
  await expect(page.getByLabel("Number 1")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(/Not an endpoint Asterisk can dial/)).toBeVisible();

  for (const c of CONTACTS) {
    await page.goto("/contacts/new");
    await page.getByLabel("Name").fill(c.name);
    await page.getByLabel("Number 1").fill(c.typed);
    await page.getByRole("button", { name: "Add contact" }).click();
    await expect(page.getByText(`${c.name} added`)).toBeVisible();
    await expect(page.getByLabel("Number 1")).toHaveValue(c.stored);
  }
  await page.goto("/contacts?q=dest");
  for (const c of CONTACTS) await expect(page.getByRole("row", { name: new RegExp(c.name) })).toContainText(c.shown);
  await expect(page.getByRole("row", { name: /Dest Hostile/ })).toHaveCount(0);

  await page.goto("/contacts/groups");
  await page.getByRole("button", { name: "New group" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New group" });
  await dialog.getByLabel("Group name").fill("Destinations");
  await dialog.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { name: "Destinations" })).toBeVisible();
  for (const [i, c] of CONTACTS.entries()) {
    await page.getByLabel("Find contacts").fill(c.name);
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("button", { name: `Add ${c.name}` }).click();
    await expect(page.getByText(`${i + 1} member(s)`)).toBeVisible();
  }

  await page.goto("/pa");
  await page.getByRole("checkbox", { name: /Destinations/ }).check();
  await page.getByRole("radio", { name: "Type text" }).check();
  await page.getByLabel("Announcement text").fill("Test of the internal phones.");
  await page.getByRole("button", { name: "Review PA" }).click();
  await page.getByRole("dialog", { name: "Send this PA now?" }).getByRole("button", { name: "Send PA to 3 phones" }).click();
  await expect(page).toHaveURL(/\/pa\/[a-z0-9]+$/, { timeout: 30_000 });
  await expect(page.locator("tbody tr")).toHaveCount(3);
  await expect(page.getByRole("main").getByText("Finished", { exact: true })).toBeVisible({ timeout: 120_000 });
  // Each one answered and heard the message: the extension rang PJSIP/101 through the internal template.
  await expect(page.locator('tbody tr[data-state="heard"]')).toHaveCount(3);
  for (const c of CONTACTS) await expect(page.getByRole("row", { name: new RegExp(c.name) })).toContainText("Heard");
});
