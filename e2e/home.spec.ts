/**
 * The home page as a command centre, against the bundled simulator: the Emergency PA button and
 * its `e` shortcut open the PA form, a template button opens it with that template chosen, a PA
 * still ringing shows under Live now with a link to its board, and a viewer sees the same page
 * without any send button. The "Home drill" numbers (+121255502xx) never answer in
 * e2e/support/sim-callees.json, so the PA stays in progress while the home page is read.
 */
import { expect, test } from "@playwright/test";
import { ensureAdmin, signIn, signOut } from "./support/accounts";
import { addUser, shot } from "./support/ui-fixtures";
import { toneWav } from "./support/tone-wav";

const OPERATOR = { name: "Hana Home-Operator", email: "hana.home@example.org", password: "operator password home" };
const VIEWER = { name: "Hugo Home-Viewer", email: "hugo.home@example.org", password: "viewer password home" };
const TEMPLATE = "Home lockdown";
const MESSAGE = "Home lockdown message";

test.describe.configure({ mode: "serial" });

test("setup: an operator, a viewer, a message, a template and a group that never answers", async ({ page }) => {
  test.setTimeout(120_000);
  await ensureAdmin(page);
  await addUser(page, OPERATOR, "operator");
  await addUser(page, VIEWER, "viewer");

  await page.goto("/messages");
  await page.getByRole("button", { name: "Upload recording" }).click();
  await page
    .getByRole("dialog")
    .locator('input[type="file"]')
    .setInputFiles({ name: "home.wav", mimeType: "audio/wav", buffer: toneWav(1) });
  await page.getByRole("textbox", { name: "Name" }).fill(MESSAGE);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("dialog")).toBeHidden();

  await page.goto("/pa/templates");
  const form = page.getByRole("form", { name: "New template" });
  await form.getByLabel("Name").fill(TEMPLATE);
  await form.getByRole("combobox", { name: /^Message/ }).selectOption({ label: MESSAGE });
  await form.getByRole("button", { name: "Create template" }).click();
  await expect(page.getByRole("heading", { name: TEMPLATE })).toBeVisible({ timeout: 20_000 });

  await page.goto("/contacts/groups");
  await page.getByRole("button", { name: "New group" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New group" });
  await dialog.getByLabel("Group name").fill("Home drill");
  await dialog.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { name: "Home drill" })).toBeVisible();
  await page.goto("/contacts/import");
  await page.getByLabel("Add imported contacts to group").selectOption({ label: "Home drill" });
  const csv = ["Full name,Mobile", "Home 1,+12125550291", "Home 2,+12125550292"].join("\n");
  await page.getByLabel("CSV file").setInputFiles({ name: "home.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  await page.getByRole("button", { name: "Import 2 valid row(s)" }).click();
  await expect(page.getByRole("heading", { name: "Import finished" })).toBeVisible();
  await signOut(page);
});

test("the Emergency PA button, its shortcut and a template button open the PA form; a live PA shows under Live now", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, OPERATOR.email, OPERATOR.password);
  await page.goto("/");
  const button = page.getByRole("link", { name: /Emergency PA/ });
  await expect(button).toHaveAttribute("aria-keyshortcuts", "e");
  await expect(page.getByRole("heading", { name: "Live now" })).toBeVisible();
  await expect(page.getByText("No PA is in progress.")).toBeVisible();
  await shot(page, "home-quiet");

  await button.click();
  await expect(page).toHaveURL(/\/pa$/);
  await expect(page.getByRole("form", { name: "Send a PA" })).toBeVisible();

  // The shortcut, from the page itself (not while typing in a field).
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Live now" })).toBeVisible();
  await page.locator("body").press("e");
  await expect(page).toHaveURL(/\/pa$/);
  await expect(page.getByRole("form", { name: "Send a PA" })).toBeVisible();

  // The template button opens the form with that template chosen and its message named.
  await page.goto("/");
  await page.getByRole("navigation", { name: "PA templates" }).getByRole("link", { name: TEMPLATE }).click();
  await expect(page).toHaveURL(/\/pa\?template=/);
  await expect(page.getByRole("radio", { name: "Template" })).toBeChecked();
  await expect(page.getByLabel("Which template").locator("option:checked")).toHaveText(`${TEMPLATE} (${MESSAGE})`);

  await page.getByRole("checkbox", { name: /Home drill/ }).check();
  await page.getByRole("button", { name: "Review PA" }).click();
  await page.getByRole("button", { name: "Send PA to 2 phones" }).click();
  await expect(page).toHaveURL(/\/pa\/[a-z0-9]+$/, { timeout: 30_000 });
  const boardPath = new URL(page.url()).pathname;

  await page.goto("/");
  const live = page.getByRole("region", { name: "Live now" });
  const board = live.getByRole("link", { name: MESSAGE });
  await expect(board).toHaveAttribute("href", boardPath);
  await expect(live).toContainText(/of 2 still in progress/);
  await shot(page, "home-live");
});

test("a viewer sees the same home page without any send button", async ({ page }) => {
  await signIn(page, VIEWER.email, VIEWER.password);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Live now" })).toBeVisible();
  const hosts = page.getByRole("region", { name: "Asterisk hosts" });
  await expect(hosts).toBeVisible();
  // The host page is for admins: a viewer sees the host and its self-test, without a link there.
  await expect(hosts.getByRole("listitem").first()).toBeVisible();
  await expect(hosts.getByRole("link")).toHaveCount(0);
  await expect(hosts).not.toContainText("Run “Test the PBX”");
  await expect(page.getByText("Sending a PA needs the operator role.")).toBeVisible();
  await expect(page.getByRole("link", { name: /Emergency PA/ })).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "PA templates" })).toHaveCount(0);
  // The shortcut does nothing for a viewer either.
  await page.locator("body").press("e");
  await expect(page).toHaveURL(/\/$/);
  await shot(page, "home-viewer");
});
