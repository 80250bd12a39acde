import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { ensureAdmin, signIn, signOut } from "./support/accounts";

const VIEWER = { name: "Cora Contacts-Viewer", email: "cora.viewer@example.org", password: "viewer password 2" };

/** Screens are kept for review in test-results/screens (SHOTS=1 to write them). */
async function shot(page: Page, name: string) {
  if (process.env.SHOTS) await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

test.describe.configure({ mode: "serial" });

test("adds a contact; a bad number is shown next to its field and nothing is saved", async ({ page }) => {
  await ensureAdmin(page);
  await page.goto("/contacts");
  await expect(page.getByRole("heading", { name: "Contacts", level: 1 })).toBeVisible();
  await shot(page, "contacts-empty");
  await page.getByRole("link", { name: "New contact" }).first().click();
  await expect(page.getByRole("heading", { name: "New contact" })).toBeVisible();

  await page.getByLabel("Name").fill("Ada Lovelace");
  await page.getByLabel("Number 1").fill("555-12");
  await page.getByLabel("Time zone").fill("Europe/London");
  await page.getByRole("button", { name: "Add contact" }).click();
  const number = page.getByLabel("Number 1");
  await expect(number).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText('"555-12" is not a valid phone number for US')).toBeVisible();
  await expect(page.getByLabel("Name")).not.toHaveAttribute("aria-invalid", "true");
  await shot(page, "contact-new-error");

  await number.fill("(212) 555-0142");
  await page.getByLabel("Tags").fill("VIP, night-shift");
  await page.getByRole("button", { name: "Add contact" }).click();
  await expect(page.getByText("Ada Lovelace added")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Ada Lovelace" })).toBeVisible();
  await expect(page.getByLabel("Number 1")).toHaveValue("+12125550142");
  await expect(page.getByLabel("Tags")).toHaveValue("vip, night-shift");
  await shot(page, "contact-edit");

  await page.goto("/contacts?q=ada");
  const row = page.getByRole("row", { name: /Ada Lovelace/ });
  await expect(row).toContainText("+1 212 555 0142");
  await expect(row).toContainText("Europe/London");
  await page.goto("/contacts?q=5550142");
  await expect(page.getByRole("row", { name: /Ada Lovelace/ })).toBeVisible();
  await shot(page, "contacts-list");
});

test("creates a group, refuses the same name in other capitals, adds a member", async ({ page }) => {
  await ensureAdmin(page);
  await page.goto("/contacts/groups");
  await page.getByRole("button", { name: "New group" }).first().click();
  let dialog = page.getByRole("dialog", { name: "New group" });
  await dialog.getByLabel("Group name").fill("Floor 2");
  await dialog.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { name: "Floor 2" })).toBeVisible();

  await page.getByLabel("Find contacts").fill("ada");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("button", { name: "Add Ada Lovelace" }).click();
  await expect(page.getByText("Added 1 to Floor 2")).toBeVisible();
  await expect(page.getByRole("row", { name: /Ada Lovelace/ })).toContainText("+12125550142");
  await expect(page.getByText("1 member(s)")).toBeVisible();
  await shot(page, "group-detail");

  await page.goto("/contacts/groups");
  await expect(page.getByRole("row", { name: /Floor 2/ })).toContainText("1");
  await page.getByRole("button", { name: "New group" }).first().click();
  dialog = page.getByRole("dialog", { name: "New group" });
  await dialog.getByLabel("Group name").fill("FLOOR 2");
  await dialog.getByRole("button", { name: "Create group" }).click();
  await expect(dialog.getByText('A group named "Floor 2" already exists')).toBeVisible();
  await expect(dialog.getByLabel("Group name")).toHaveAttribute("aria-invalid", "true");
  await shot(page, "groups-duplicate");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("row", { name: /Floor 2/i })).toHaveCount(1);
  await shot(page, "groups-list");
});

test("imports a CSV with one bad row: previews the error, imports the rest, offers the report", async ({ page }) => {
  await ensureAdmin(page);
  await page.goto("/contacts/import");
  const csv = [
    "Full name,Mobile,Tags",
    "Grace Hopper,212 555 0143,navy",
    "Alan Turing,+44 20 7946 0958,",
    "Broken Number,555-99,",
    "=cmd|' /C calc'!A0,212 555 0144,",
  ].join("\n");
  await page.getByLabel("Add imported contacts to group").selectOption({ label: "Floor 2" });
  await page.getByLabel("CSV file").setInputFiles({ name: "staff.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  await expect(page.getByText("3 ready")).toBeVisible();
  await expect(page.getByText("1 with problems")).toBeVisible();
  await expect(page.getByRole("row", { name: /Broken Number/ })).toContainText('Mobile: "555-99" is not a valid phone number');
  await expect(page.getByLabel("Full name", { exact: true })).toHaveValue("name");
  await shot(page, "import-preview");

  const reportDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download error report" }).click();
  const report = readFileSync(await (await reportDownload).path(), "utf8");
  expect(report).toContain('"Broken Number","555-99","","4"');

  await page.getByRole("button", { name: "Import 3 valid row(s)" }).click();
  await expect(page.getByRole("heading", { name: "Import finished" })).toBeVisible();
  await expect(page.getByText(/3\s+contact\(s\) imported into Floor 2;\s*1\s+row\(s\) rejected/)).toBeVisible();
  await shot(page, "import-done");

  await page.goto("/contacts?sort=name");
  await expect(page.getByRole("row", { name: /Grace Hopper/ })).toContainText("+1 212 555 0143");
  await expect(page.getByRole("row", { name: /Alan Turing/ })).toContainText("+44 20 7946 0958");
  await expect(page.getByRole("row", { name: /Broken Number/ })).toHaveCount(0);

  // Export neutralises the formula cell; the group export holds the group only.
  const all = await page.request.get("/contacts/export");
  expect(all.headers()["content-type"]).toContain("text/csv");
  const text = await all.text();
  expect(text).toContain(`"'=cmd|' /C calc'!A0","'+12125550144"`);
  expect(text).not.toMatch(/(^|,)"=/m);
  await page.goto("/contacts/groups");
  await page.getByRole("link", { name: "Floor 2" }).click();
  const groupExport = page.getByRole("link", { name: "Export CSV" });
  const groupCsv = await (await page.request.get((await groupExport.getAttribute("href"))!)).text();
  expect(groupCsv).toContain("Grace Hopper");
  expect(groupCsv).toContain("Ada Lovelace");
  expect(groupCsv).not.toContain("Broken Number");
  expect(groupCsv.trim().split("\r\n")).toHaveLength(5); // header, Ada, and the 3 imported
});

test("deletes a contact after confirmation", async ({ page }) => {
  await ensureAdmin(page);
  await page.goto("/contacts?q=grace");
  await page.getByRole("link", { name: "Grace Hopper" }).click();
  await page.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete Grace Hopper?" });
  await shot(page, "contact-delete-confirm");
  await confirm.getByRole("button", { name: "Delete contact" }).click();
  await expect(page.getByText("Grace Hopper deleted")).toBeVisible();
  await expect(page).toHaveURL(/\/contacts$/);
  await expect(page.getByRole("row", { name: /Grace Hopper/ })).toHaveCount(0);
});

test("refuses a file that is not UTF-8 with the reason, storing nothing", async ({ page }) => {
  await ensureAdmin(page);
  await page.goto("/contacts/import");
  const latin1 = Buffer.from([...Buffer.from("name,phone\nZo", "latin1"), 0xeb, ...Buffer.from(",212 555 0150\n", "latin1")]);
  await page.getByLabel("CSV file").setInputFiles({ name: "latin1.csv", mimeType: "text/csv", buffer: latin1 });
  await expect(page.getByText("The file is not valid UTF-8; save it as CSV UTF-8")).toBeVisible();
  await expect(page.getByLabel("CSV file")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("button", { name: /Import \d+ valid row/ })).toHaveCount(0);
  await shot(page, "import-not-utf8");
});

test("a viewer sees contacts and groups without any edit control", async ({ page }) => {
  await ensureAdmin(page);
  await page.goto("/settings/users");
  await page.getByRole("button", { name: "Add user" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a user" });
  await dialog.getByLabel("Name").fill(VIEWER.name);
  await dialog.getByLabel("Email").fill(VIEWER.email);
  await dialog.getByLabel("Role").selectOption("viewer");
  await dialog.getByLabel("Initial password").fill(VIEWER.password);
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText(`${VIEWER.name} can now sign in`)).toBeVisible();
  await signOut(page);

  await signIn(page, VIEWER.email, VIEWER.password);
  await page.goto("/contacts");
  await expect(page.getByRole("row", { name: /Ada Lovelace/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New contact" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Import CSV" })).toHaveCount(0);
  await page.getByRole("link", { name: "Ada Lovelace" }).click();
  await expect(page.getByText("+1 212 555 0142")).toBeVisible();
  await expect(page.getByRole("button", { name: /Save|Delete/ })).toHaveCount(0);
  await expect(page.getByRole("textbox")).toHaveCount(0);
  await shot(page, "contact-viewer");

  await page.goto("/contacts/groups");
  await expect(page.getByRole("link", { name: "Floor 2" })).toBeVisible();
  await expect(page.getByRole("button", { name: /New group|Rename|Delete/ })).toHaveCount(0);
  await page.getByRole("link", { name: "Floor 2" }).click();
  await expect(page.getByText("Add members")).toHaveCount(0);
  await expect(page.getByRole("checkbox")).toHaveCount(0);

  await page.goto("/contacts/new");
  await expect(page).toHaveURL(/\/forbidden$/);
  await page.goto("/contacts/import");
  await expect(page).toHaveURL(/\/forbidden$/);
  await signOut(page);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("contacts, groups and import fit the screen without sideways scrolling", async ({ page }) => {
    await ensureAdmin(page);
    for (const [path, heading] of [
      ["/contacts", "Contacts"],
      ["/contacts/groups", "Contacts"],
      ["/contacts/import", "Contacts"],
      ["/contacts/new", "New contact"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
      await shot(page, `phone${path.replaceAll("/", "-")}`);
    }
  });
});
