import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ensureAdmin } from "./support/accounts";

const FIXTURES = path.join(import.meta.dirname, "../tests/fixtures/imports");

/** Screens are kept for review in test-results/screens (SHOTS=1 to write them). */
async function shot(page: Page, name: string) {
  if (process.env.SHOTS) await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

async function upload(page: Page, name: string) {
  await page.goto("/contacts/import");
  await page.getByLabel("CSV file").setInputFiles({
    name,
    mimeType: "text/csv",
    buffer: readFileSync(path.join(FIXTURES, name)),
  });
}

test.describe.configure({ mode: "serial" });

test("a Google Contacts export imports both numbers of a row; skipped rows and columns not imported are listed", async ({
  page,
}) => {
  await ensureAdmin(page);
  await upload(page, "google-contacts.csv");
  await expect(page.getByText("3 ready")).toBeVisible();
  await expect(page.getByText("2 with problems")).toBeVisible();
  // Every column with data has a selector, starting from the detected choice.
  await expect(page.getByLabel("Phone 1 - Value", { exact: true })).toHaveValue("phone");
  await expect(page.getByLabel("Labels", { exact: true })).toHaveValue("tags");
  await expect(page.getByLabel("Organization Title", { exact: true })).toHaveValue("");
  await expect(page.getByText(/Will not be imported.*Organization Title, E-mail 1 - Label, E-mail 1 - Value/)).toBeVisible();
  await expect(page.getByText(`Google's system label "* myContacts" is not imported as a tag (3 row(s))`)).toBeVisible();
  await expect(page.getByRole("row", { name: /Ada J\. Lovelace/ })).toContainText("+12125550191, +12125550192, +442079460961");
  await expect(page.getByRole("row", { name: /Alan Turing/ })).toContainText(
    'Phone 1 - Value: "555-12" is not a valid phone number',
  );
  await shot(page, "import-google-preview");

  // Keep the company title in the notes, then import.
  await page.getByLabel("Organization Title", { exact: true }).selectOption("keep");
  await expect(page.getByText(/Will not be imported.*E-mail 1 - Label, E-mail 1 - Value/)).toBeVisible();
  await expect(page.getByLabel("Organization Title", { exact: true })).toHaveValue("keep");
  await page.getByRole("button", { name: "Import 3 valid row(s)" }).click();
  await expect(page.getByRole("heading", { name: "Import finished" })).toBeVisible();
  await expect(page.getByText(/3\s+contact\(s\) imported;\s*2\s+row\(s\) rejected/)).toBeVisible();
  const skipped = page.getByRole("table", { name: "Rows that were not imported and why" });
  await expect(skipped.getByRole("row", { name: /^5 / })).toContainText('"555-12" is not a valid phone number');
  await expect(skipped.getByRole("row", { name: /^6 / })).toContainText("Missing phone number");
  await expect(page.getByText(/Not imported.*E-mail 1 - Label, E-mail 1 - Value/)).toBeVisible();
  await shot(page, "import-google-done");

  await page.goto("/contacts?q=lovelace");
  await page.getByRole("link", { name: "Ada J. Lovelace" }).click();
  await expect(page.getByLabel("Number 1")).toHaveValue("+12125550191");
  await expect(page.getByLabel("Number 2")).toHaveValue("+12125550192");
  await expect(page.getByLabel("Number 3")).toHaveValue("+442079460961");
  await expect(page.getByLabel("Tags")).toHaveValue("staff");
  await expect(page.getByLabel("Notes")).toHaveValue("Organization Name: Acme Ltd; Organization Title: Duty officer");
});

test("a file whose columns cannot be detected shows the selectors and imports after the user chooses", async ({ page }) => {
  await ensureAdmin(page);
  await upload(page, "undetectable.csv");
  const problems = page.getByRole("alert").filter({ hasText: "Choose the columns before importing" });
  await expect(problems).toContainText("Choose the column that holds each person's name");
  await expect(problems).toContainText("Choose the column (or columns) that hold the phone numbers");
  await expect(page.getByRole("button", { name: /Import \d+ valid row/ })).toBeDisabled();
  await expect(page.getByText("not checked until the columns are chosen")).toBeVisible();
  await shot(page, "import-undetected");

  await page.getByLabel("Wer", { exact: true }).selectOption("name");
  await expect(problems).not.toContainText("person's name");
  await page.getByLabel("Durchwahl extern", { exact: true }).selectOption("phone");
  await expect(page.getByText("2 ready")).toBeVisible();
  await expect(problems).toHaveCount(0);
  await expect(page.getByRole("row", { name: /Annie Easley/ })).toContainText("+12125550171, +12125550172");
  await page.getByLabel("Bemerkung", { exact: true }).selectOption("notes");
  await page.getByRole("button", { name: "Import 2 valid row(s)" }).click();
  await expect(page.getByText(/2\s+contact\(s\) imported;\s*0\s+row\(s\) rejected/)).toBeVisible();

  await page.goto("/contacts?q=jackson");
  await expect(page.getByRole("row", { name: /Mary Jackson/ })).toContainText("+1 212 555 0170");
});

test("an Excel file with a sep=; first line is read with its delimiter", async ({ page }) => {
  await ensureAdmin(page);
  await upload(page, "excel-sep-semicolon.csv");
  await expect(page.getByText("separated by semicolons")).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("name");
  await expect(page.getByText("2 ready")).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the column selectors fit the screen", async ({ page }) => {
    await ensureAdmin(page);
    await upload(page, "google-contacts.csv");
    await expect(page.getByLabel("Phone 1 - Value", { exact: true })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBe(0);
    await shot(page, "phone-import-google-preview");
  });
});
