import { expect, test } from "@playwright/test";
import { ensureAdmin } from "./support/accounts";

test("an admin adds a host (field error shown), tests its connection, creates an API token shown once, and the token works", async ({
  page,
}) => {
  await ensureAdmin(page);
  await page.goto("/settings");
  // The default host's spool (the bundled simulator's) is a directory that passes the health check.
  const spoolDir = (await page.locator("li", { hasText: "default" }).locator("code").first().textContent())!.trim();
  expect(spoolDir).toMatch(/^\//);

  await page.getByRole("link", { name: "Add host" }).click();
  await expect(page.getByRole("heading", { name: "New Asterisk host" })).toBeVisible();
  await page.getByLabel("Name").fill("Backup PBX");
  await page.getByLabel("Enabled (calls may be placed through it)").uncheck();
  await page.getByLabel("Spool directory").fill("relative/spool");
  await page.getByLabel("Channel template").fill("PJSIP/trunk");
  await page.getByRole("button", { name: "Create host" }).click();
  await expect(page.getByLabel("Spool directory")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Spool directory")).toHaveAccessibleDescription(/Must be an absolute path, starting with \//);
  await expect(page.getByLabel("Channel template")).toHaveAccessibleDescription(
    /Must contain \{number\}, e.g. PJSIP\/\{number\}@trunk/,
  );
  await expect(page.getByText("Some settings need attention: see the messages next to the fields.")).toBeVisible();

  await page.getByLabel("Spool directory").fill(spoolDir);
  await page.getByLabel("Channel template").fill("PJSIP/{number}@trunk now");
  await page.getByRole("button", { name: "Create host" }).click();
  await expect(page.getByLabel("Channel template")).toHaveAccessibleDescription(/Gives an invalid channel/);
  await expect(page.getByLabel("Spool directory")).not.toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Channel template").fill("PJSIP/{number}@backup");
  await page.getByRole("button", { name: "Create host" }).click();
  await expect(page.getByRole("heading", { name: "Host “Backup PBX”" })).toBeVisible();

  await page.getByRole("button", { name: "Test connection" }).click();
  const result = page.getByRole("status", { name: "Connection test result" });
  await expect(result).toContainText("Connection works.");
  await expect(result).toContainText("outgoing directory");

  await page.getByRole("link", { name: "Dialplan snippet" }).click();
  await expect(page.getByTestId("dialplan-snippet")).toContainText("[spoolcast]");
  await expect(page.getByTestId("dialplan-snippet")).toContainText("ExternalIVR(ivr://");

  await page.goto("/settings/api");
  await page.getByRole("button", { name: "Create token" }).click();
  await page.getByRole("button", { name: "Create token" }).last().click();
  await expect(page.getByText("Give the token a name, e.g. the system that will use it")).toBeVisible();
  await page.getByLabel("Name").fill("Monitoring");
  await page.getByLabel("calls:read").check();
  await page.getByRole("button", { name: "Create token" }).last().click();
  const tokenField = page.getByLabel("New API token");
  await expect(tokenField).toHaveValue(/^spc_/);
  const token = await tokenField.inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  const row = page.getByRole("row", { name: /Monitoring/ });
  await expect(row).toContainText("calls:read");
  await expect(row).toContainText("active");
  await expect(row).toContainText(token.slice(0, 10));
  await expect(page.getByText(token)).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(token)).toHaveCount(0);

  // The curl-like requests another system would send.
  const ok = await page.request.get("/api/v1/calls?limit=5", { headers: { Authorization: `Bearer ${token}` } });
  expect(ok.status()).toBe(200);
  // Other specs share this database, so there may be calls already: check the page's shape.
  const page1 = (await ok.json()) as { calls: { id: string; state: string }[]; nextCursor: string | null };
  expect(page1.calls.length).toBeLessThanOrEqual(5);
  expect(page1.nextCursor === null || page1.nextCursor === page1.calls.at(-1)?.id).toBe(true);
  for (const c of page1.calls) expect(c).toMatchObject({ id: expect.any(String), state: expect.any(String) });
  const anon = await page.request.get("/api/v1/calls", { headers: { Authorization: "" } });
  expect(anon.status()).toBe(401);
  const pa = await page.request.post("/api/v1/pa", {
    headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": "e2e-1" },
    data: { groupIds: ["x"], templateId: "y" },
  });
  expect(pa.status()).toBe(403);
  expect((await pa.json()).error.code).toBe("insufficient_scope");
  const bad = await page.request.get("/api/v1/calls?limit=0", { headers: { Authorization: `Bearer ${token}` } });
  expect(bad.status()).toBe(422);
  expect((await bad.json()).error.field).toBe("limit");
  const doc = await page.request.get("/api/v1/openapi.json");
  expect((await doc.json()).openapi).toBe("3.1.0");

  await page.reload();
  // Last used (fourth column) now shows the time of the requests above.
  await expect(
    page
      .getByRole("row", { name: /Monitoring/ })
      .getByRole("cell")
      .nth(3),
  ).not.toHaveText("never");

  await page.getByRole("link", { name: "API documentation" }).click();
  await expect(page.getByRole("heading", { name: "API documentation" })).toBeVisible();
  await expect(page.locator("#postPa")).toContainText("scope pa:trigger");
  await expect(page.locator("#postPa")).toContainText("Idempotency-Key");
});
