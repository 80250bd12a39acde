/**
 * Accounts for e2e specs. Every spec shares one server and one fresh database per run, in no
 * guaranteed order, so `ensureAdmin` creates the first admin through the setup page when the
 * site is new and otherwise just signs in: any spec can start with it.
 */
import { expect, type Page } from "@playwright/test";

export const ADMIN = { name: "Ada Admin", email: "ada.admin@example.org", password: "correct horse battery" };

/** Fills and submits the first-admin form (the page must be on /setup). */
export async function completeSetup(page: Page, admin = ADMIN): Promise<void> {
  await page.getByLabel("Your name").fill(admin.name);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(admin.password);
  await page.getByLabel("Confirm password").fill(admin.password);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
}

/** Signs in through the login page and waits for the dashboard. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
}

/** Signs out through the account menu. */
export async function signOut(page: Page): Promise<void> {
  // The account menu is the last button of the top bar (the first is the phone menu).
  await page.getByRole("banner").getByRole("button").last().click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/** Makes sure the admin exists and the page is signed in as them. */
export async function ensureAdmin(page: Page): Promise<void> {
  await page.goto("/");
  if (new URL(page.url()).pathname === "/setup") {
    await completeSetup(page);
    return;
  }
  if (new URL(page.url()).pathname === "/login") await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
}
