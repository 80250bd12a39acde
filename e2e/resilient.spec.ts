/**
 * The dashboard when the network or the server fails: a live board says it is not updating
 * (and stops claiming "Live") and recovers by itself; a PA whose send fails keeps the form as
 * typed and offers to try again. +121255502… never answer (e2e/support/sim-callees.json), so
 * the PA stays live for the host's 30 s WaitTime.
 */
import { expect, test, type Page } from "@playwright/test";
import { ensureAdmin } from "./support/accounts";
import { importGroup, shot } from "./support/ui-fixtures";

const TEXT = "Resilience drill: the network is being cut on purpose.";

async function fillPa(page: Page) {
  await page.goto("/pa");
  await page.getByRole("checkbox", { name: /Resilience drill/ }).check();
  await page.getByRole("radio", { name: "Type text" }).check();
  await page.getByLabel("Announcement text").fill(TEXT);
}

test.describe.configure({ mode: "serial" });

test("a failed PA send keeps the typed message, says why, and Try again sends it", async ({ page }) => {
  test.setTimeout(120_000);
  await ensureAdmin(page);
  await importGroup(page, "Resilience drill", ["Res One,+12125550271", "Res Two,+12125550272", "Res Three,+12125550273"]);
  await fillPa(page);

  // The launch action (the only server action whose body carries the text) answers 500.
  let failed = 0;
  await page.route("**/pa", async (route) => {
    const r = route.request();
    if (r.method() === "POST" && r.headers()["next-action"] && (r.postData() ?? "").includes("ttsText")) {
      failed++;
      await route.fulfill({ status: 500, contentType: "text/plain", body: "Internal Server Error" });
      return;
    }
    await route.fallback();
  });
  await page.getByRole("button", { name: "Review PA" }).click();
  await page.getByRole("dialog", { name: "Send this PA now?" }).getByRole("button", { name: "Send PA to 3 phones" }).click();

  // Still the form, as typed, with the cause inline and a toast offering to try again.
  await expect(page.getByRole("form", { name: "Send a PA" }).getByRole("alert")).toContainText("may not have been done");
  expect(failed).toBe(1);
  await expect(page).toHaveURL(/\/pa$/);
  await expect(page.getByLabel("Announcement text")).toHaveValue(TEXT);
  await expect(page.getByRole("checkbox", { name: /Resilience drill/ })).toBeChecked();
  const retry = page.getByRole("button", { name: "Try again" });
  await expect(retry).toBeVisible();
  await shot(page, "resilient-pa-send-failed");

  // The server is back: Try again sends the same PA.
  await page.unroute("**/pa");
  await retry.click();
  await expect(page).toHaveURL(/\/pa\/[a-z0-9]+$/, { timeout: 30_000 });
  await expect(page.locator("tbody tr")).toHaveCount(3);
});

test("offline, the PA board says the connection is lost and stops claiming Live; online again it recovers", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await ensureAdmin(page);
  await fillPa(page);
  await page.getByRole("button", { name: "Review PA" }).click();
  await page.getByRole("dialog", { name: "Send this PA now?" }).getByRole("button", { name: "Send PA to 3 phones" }).click();
  await expect(page).toHaveURL(/\/pa\/[a-z0-9]+$/, { timeout: 30_000 });
  const main = page.getByRole("main");
  await expect(main.getByText("Live", { exact: true })).toBeVisible();
  const banner = page.getByTestId("connection-lost");
  await expect(banner).toBeHidden();

  await context.setOffline(true);
  await expect(banner).toContainText(/Connection lost — last update \d+ s ago/);
  await expect(main.getByText("Live", { exact: true })).toBeHidden();
  await expect(main.getByText("Not updating", { exact: true })).toBeVisible();
  // The elapsed clock is frozen while nothing arrives, and the banner's age ticks on.
  const timer = page.getByRole("timer", { name: "Elapsed time" });
  const frozen = await timer.textContent();
  const age = async () => Number(/update (\d+) s ago/.exec((await banner.textContent()) ?? "")?.[1]);
  const firstAge = await age();
  await expect.poll(age, { timeout: 10_000 }).toBeGreaterThan(firstAge);
  await expect(timer).toHaveText(frozen!);
  await shot(page, "resilient-board-offline");

  await context.setOffline(false);
  await expect(banner).toBeHidden({ timeout: 15_000 });
  await expect(main.getByText("Not updating", { exact: true })).toBeHidden();
  await expect(main.getByText(/^(Live|Finished)$/)).toBeVisible();
  await shot(page, "resilient-board-recovered");
});
