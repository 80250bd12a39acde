/**
 * The double-submit guard (components/ui/use-action.ts): a double-click on the call button
 * rings the desk phone once, i.e. one click-to-call call exists afterwards, not two.
 */
import { expect, test } from "@playwright/test";
import { ensureAdmin } from "./support/accounts";
import { importGroup } from "./support/ui-fixtures";

const NUMBER = "+12125550411";

test("a double-click on the call button places one call", async ({ page }) => {
  test.setTimeout(90_000);
  await ensureAdmin(page);
  // +121255504… are busy in e2e/support/sim-callees.json: the contact leg ends at once.
  await importGroup(page, "Double drill", [`Dee Double,${NUMBER}`]);
  await page.goto("/account");
  await page.getByLabel("Desk phone").fill("PJSIP/2001");
  await page.getByRole("button", { name: "Save desk phone" }).click();
  await expect(page.getByText("Desk phone set to PJSIP/2001")).toBeVisible();

  await page.goto("/contacts?q=Dee Double");
  // Two clicks in one task: the second lands before React re-renders the button as disabled,
  // as on a busy browser. A guard made of React state alone lets it through; useAction's ref does not.
  await page.getByRole("button", { name: `Call Dee Double at ${NUMBER}` }).evaluate((button: HTMLButtonElement) => {
    button.click();
    button.click();
  });
  await expect(page.getByText(`Contact busy: Dee Double (${NUMBER})`)).toBeVisible({ timeout: 30_000 });

  await page.goto(`/results?kind=click&q=${encodeURIComponent(NUMBER)}`);
  await expect(page.getByTestId("results-table").locator("tbody tr")).toHaveCount(1);
  // And in the audit log: one click-to-call was started.
  await page.goto(`/settings/audit?action=call.click&q=${encodeURIComponent("Dee Double")}`);
  await expect(page.locator("tbody tr")).toHaveCount(1);
});
