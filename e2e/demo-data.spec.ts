import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { ensureAdmin } from "./support/accounts";

const run = promisify(execFile);

test("Settings shows the demo data and removes it with one confirmed button, keeping the admin's own contact", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await ensureAdmin(page);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Demo data present" })).toHaveCount(0);

  // A contact of the admin's own, before the demo is seeded beside it.
  await page.goto("/contacts");
  await page.getByRole("link", { name: "New contact" }).first().click();
  await page.getByLabel("Name").fill("Kept Keeper");
  await page.getByLabel("Number 1").fill("+44 20 7946 0999");
  await page.getByRole("button", { name: "Add contact" }).click();
  await expect(page.getByRole("heading", { name: "Kept Keeper" })).toBeVisible();

  // The e2e server keeps its database and sounds under one data dir (scripts/e2e-server.sh).
  await page.goto("/settings");
  await page.locator('a[href^="/settings/hosts/c"]').first().click();
  const dataDir = path.dirname(await page.getByLabel("Sounds root").inputValue());
  const { stdout } = await run("npx", ["--no-install", "tsx", "scripts/seed.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: `file:${path.join(dataDir, "e2e.db")}`,
      SPOOLCAST_DATA_DIR: dataDir,
      SPOOLCAST_SEED_DEMO: "yes",
      LOG_LEVEL: "silent",
    },
    timeout: 120_000,
  });
  expect(stdout).toContain("Seeded 60 contacts in 4 groups");

  await page.goto("/settings");
  const card = page.getByRole("region", { name: "Demo data present" });
  await expect(card).toContainText("60 contacts, 4 groups, 3 messages and 2 PA templates");
  const remove = card.getByRole("button", { name: "Remove demo data" });
  // Escape keeps everything, and focus returns to the button.
  await remove.click();
  await expect(page.getByRole("alertdialog", { name: "Remove all demo data?" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(remove).toBeFocused();
  await expect(card).toBeVisible();

  await remove.click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Remove demo data" }).click();
  await expect(page.getByText(/Removed demo data: 60 contacts, 4 groups, 3 messages, 2 PA templates/)).toBeVisible();
  await expect(page.getByRole("region", { name: "Demo data present" })).toHaveCount(0);

  await page.goto("/contacts");
  await expect(page.getByText("Kept Keeper")).toBeVisible();
  await expect(page.getByText("Amelia Hughes")).toHaveCount(0);
});
