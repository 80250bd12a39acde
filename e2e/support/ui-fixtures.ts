/**
 * Small journeys the UI specs share: a user added by an admin, a group of contacts made by
 * importing a CSV, a typed-text PA sent to it, and screenshots for review.
 */
import { expect, type Page } from "@playwright/test";

/** An admin adds `user` with `role` on the Users page. */
export async function addUser(page: Page, user: { name: string; email: string; password: string }, role: string): Promise<void> {
  await page.goto("/settings/users");
  await page.getByRole("button", { name: "Add user" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a user" });
  await dialog.getByLabel("Name").fill(user.name);
  await dialog.getByLabel("Email").fill(user.email);
  await dialog.getByLabel("Role").selectOption(role);
  await dialog.getByLabel("Initial password").fill(user.password);
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText(`${user.name} can now sign in`)).toBeVisible();
}

/** Creates `group` and imports `rows` ("Name,+number") into it. */
export async function importGroup(page: Page, group: string, rows: string[]): Promise<void> {
  await page.goto("/contacts/groups");
  await page.getByRole("button", { name: "New group" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New group" });
  await dialog.getByLabel("Group name").fill(group);
  await dialog.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { name: group })).toBeVisible();
  await page.goto("/contacts/import");
  await page.getByLabel("Add imported contacts to group").selectOption({ label: group });
  const csv = ["Full name,Mobile", ...rows].join("\n");
  await page.getByLabel("CSV file").setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  await page.getByRole("button", { name: `Import ${rows.length} valid row(s)` }).click();
  await expect(page.getByRole("heading", { name: "Import finished" })).toBeVisible();
}

/** Sends a typed-text PA to `group` (of `phones` phones) and returns the board's path. */
export async function sendTextPa(page: Page, group: string, phones: number, text: string): Promise<string> {
  await page.goto("/pa");
  await page.getByRole("checkbox", { name: new RegExp(group) }).check();
  await page.getByRole("radio", { name: "Type text" }).check();
  await page.getByLabel("Announcement text").fill(text);
  await page.getByRole("button", { name: "Review PA" }).click();
  await page.getByRole("button", { name: `Send PA to ${phones} phone${phones === 1 ? "" : "s"}` }).click();
  await expect(page).toHaveURL(/\/pa\/[a-z0-9]+$/, { timeout: 30_000 });
  return new URL(page.url()).pathname;
}

/** Screens for review at desktop and phone widths (SHOTS=1 to write them). */
export async function shot(page: Page, name: string): Promise<void> {
  if (!process.env.SHOTS) return;
  const size = page.viewportSize()!;
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
    await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize(size);
}
