import { expect, test } from "@playwright/test";
import { ensureAdmin } from "./support/accounts";

test("the engine status page shows the IVR server's limits and refused-connection counters", async ({ page }) => {
  await ensureAdmin(page);
  await page.goto("/settings/engine");
  const ivr = page.getByRole("region", { name: "IVR server" });
  await expect(ivr).toBeVisible();
  await expect(ivr).toContainText(/Listening on \S+:\d+\. Up to 5000 calls served at once/);
  await expect(ivr).toContainText("limited to 200 per address and 1000 in all");
  for (const label of [
    "Calls being served",
    "Connections not yet proved",
    "Refused: all call slots busy",
    "Closed: too many from one address",
    "Closed: too many in all",
  ]) {
    await expect(ivr.getByText(label, { exact: true })).toBeVisible();
  }
});
