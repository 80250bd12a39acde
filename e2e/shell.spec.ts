import { expect, test } from "@playwright/test";
import { ensureAdmin } from "./support/accounts";

const SECTIONS = ["PA", "Campaigns", "Wake-ups", "Contacts", "Results", "Settings"];

test("every section in the navigation opens a page with its heading, not a 404", async ({ page }) => {
  await ensureAdmin(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of SECTIONS) {
    await nav.getByRole("link", { name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name, exact: true })).toBeVisible();
    await expect(nav.getByRole("link", { name, exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.getByText("This page could not be found")).toHaveCount(0);
  }
});

test("the skip link is the first stop of the keyboard and jumps to the content", async ({ page }) => {
  await ensureAdmin(page);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the menu opens as a drawer, closes with Escape, and navigates", async ({ page }) => {
    await ensureAdmin(page);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await page.getByRole("button", { name: "Open menu" }).click();
    const drawer = page.getByRole("dialog", { name: "Navigation" });
    await expect(drawer).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();

    await page.getByRole("button", { name: "Open menu" }).click();
    await drawer.getByRole("link", { name: "Settings" }).click();
    await expect(drawer).toBeHidden();
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    // Nothing is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});

test("anonymous visitors are sent to sign in, and back afterwards", async ({ page, browser }) => {
  await ensureAdmin(page);
  const anonymous = await browser.newPage();
  await anonymous.goto("/settings/audit");
  await expect(anonymous).toHaveURL(/\/login\?next=%2Fsettings%2Faudit$/);
  await anonymous.close();
});
