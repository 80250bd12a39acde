/**
 * The client address behind the sign-in limit and the audit log is the TCP peer (server.ts
 * stamps it), never an X-Forwarded-For the client wrote; with TRUST_PROXY naming the proxy, the
 * address that proxy saw. The second case starts its own server from the same build.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { ADMIN, completeSetup, ensureAdmin } from "./support/accounts";

const GHOST = "nobody.at.all@example.org";

/** One sign-in attempt from a fresh browser that claims to be `forwardedFor`; the form's answer. */
async function attempt(browser: Browser, baseURL: string, forwardedFor: string, email: string, password: string) {
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-For": forwardedFor } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Not Next.js's empty route announcer, which has the alert role too.
  const answer = page
    .getByRole("alert")
    .filter({ hasText: /\S/ })
    .or(page.getByRole("heading", { name: "Dashboard" }));
  await expect(answer.first()).toBeVisible();
  return { page, context, text: (await answer.first().textContent()) ?? "" };
}

/** The address column of the newest sign-in in the audit log. */
async function lastSignInAddress(page: Page): Promise<string> {
  await page.goto("/settings/audit?action=auth.login");
  const row = page.getByRole("row").filter({ hasText: "signed in" }).first();
  await expect(row).toBeVisible();
  return (await row.getByRole("cell").last().textContent())?.trim() ?? "";
}

test("a forged X-Forwarded-For neither raises the per-address sign-in limit nor reaches the audit log", async ({
  browser,
  baseURL,
}) => {
  const setup = await browser.newContext({ baseURL });
  await ensureAdmin(await setup.newPage());
  await setup.close();
  for (let i = 1; i <= 5; i++) {
    const { text, context } = await attempt(browser, baseURL!, `203.0.113.${i}`, GHOST, "wrong password");
    expect(text).toContain("Email or password is incorrect.");
    await context.close();
  }
  // All five came from 127.0.0.1 whatever they claimed: the sixth is over the limit of 5.
  const sixth = await attempt(browser, baseURL!, "203.0.113.6", GHOST, "wrong password");
  expect(sixth.text).toContain("Too many failed sign-in attempts");
  await sixth.context.close();

  const signedIn = await attempt(browser, baseURL!, "198.51.100.77", ADMIN.email, ADMIN.password);
  expect(signedIn.text).toContain("Dashboard");
  expect(await lastSignInAddress(signedIn.page)).toBe("127.0.0.1");
  await expect(signedIn.page.getByText("198.51.100.77")).toHaveCount(0);
  await signedIn.context.close();
});

test.describe("behind a proxy named in TRUST_PROXY", () => {
  let server: ChildProcess | undefined;
  let root = "";
  let base = "";

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    root = mkdtempSync(path.join(tmpdir(), "spoolcast-trust-proxy-"));
    const port = Number(process.env.E2E_PORT) + 7;
    base = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      SPOOLCAST_DATA_DIR: root,
      DATABASE_URL: `file:${root}/trust.db`,
      NODE_ENV: "production" as const,
      SPOOLCAST_ENGINE: "off",
      TRUST_PROXY: "127.0.0.1",
      PORT: String(port),
    };
    const migrated = spawnSync("npx", ["--no-install", "tsx", "scripts/migrate.ts"], { env, encoding: "utf8" });
    expect(migrated.status, migrated.stderr).toBe(0);
    server = spawn("npx", ["--no-install", "tsx", "server.ts", "-H", "127.0.0.1", "-p", String(port)], {
      env,
      stdio: ["ignore", openSync(path.join(root, "server.log"), "a"), openSync(path.join(root, "server.log"), "a")],
      detached: true,
    });
    await expect
      .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status ?? 0, { timeout: 90_000 })
      .toBe(200);
  });

  test.afterAll(() => {
    if (server?.pid) process.kill(-server.pid, "SIGTERM");
    if (root && test.info().status === test.info().expectedStatus) rmSync(root, { recursive: true, force: true });
  });

  test("the proxy's X-Forwarded-For is the client's address for the limit and the audit log", async ({ browser }) => {
    const setup = await browser.newContext({ baseURL: base });
    const page = await setup.newPage();
    await page.goto("/setup");
    await completeSetup(page);
    await setup.close();
    // Five failures from each of two addresses the proxy reports: the limit counts them apart.
    for (const client of ["203.0.113.10", "203.0.113.11"]) {
      for (let i = 0; i < 5; i++) {
        const { text, context } = await attempt(browser, base, client, GHOST, "wrong password");
        expect(text).toContain("Email or password is incorrect.");
        await context.close();
      }
    }
    // The client wrote 6.6.6.6 itself; the proxy (127.0.0.1) appended what it saw.
    const signedIn = await attempt(browser, base, "6.6.6.6, 198.51.100.77", ADMIN.email, ADMIN.password);
    expect(signedIn.text).toContain("Dashboard");
    expect(await lastSignInAddress(signedIn.page)).toBe("198.51.100.77");
    await signedIn.context.close();
  });
});
