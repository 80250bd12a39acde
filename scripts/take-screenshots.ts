// Dev helper: screenshots of every page at desktop (1280) and phone (390) widths, for looking
// at the UI and for the README. Needs a running server (e.g. `npm run demo`):
//   npx tsx scripts/take-screenshots.ts http://127.0.0.1:3000 /tmp/shots [--readme]
// Signs in as SCREENSHOT_EMAIL / SCREENSHOT_PASSWORD, creating that admin on a fresh site.
// --readme also writes the desktop dashboard to docs/screenshot.png.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";

const [base = "http://127.0.0.1:3000", outDir = "/tmp/spoolcast-screenshots"] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith("--"));
const readme = process.argv.includes("--readme");
const email = process.env.SCREENSHOT_EMAIL ?? "ada.admin@example.org";
const password = process.env.SCREENSHOT_PASSWORD ?? "correct horse battery";
const PAGES = [
  "/",
  "/pa",
  "/campaigns",
  "/wakeups",
  "/contacts",
  "/results",
  "/settings",
  "/settings/users",
  "/settings/audit",
  "/account",
];
const WIDTHS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
];

function fileName(route: string, width: string): string {
  return `${route === "/" ? "dashboard" : route.slice(1).replaceAll("/", "-")}-${width}.png`;
}

async function signInOrSetup(page: Page): Promise<void> {
  await page.goto(`${base}/`);
  await page.waitForLoadState("networkidle");
  if (page.url().endsWith("/setup")) {
    await page.screenshot({ path: path.join(outDir, fileName("/setup", "desktop")), fullPage: true });
    await page.getByLabel("Your name").fill("Ada Admin");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("textbox", { name: "Password", exact: true }).fill(password);
    await page.getByLabel("Confirm password").fill(password);
    await page.getByRole("button", { name: "Create administrator" }).click();
  } else {
    await page.screenshot({ path: path.join(outDir, fileName("/login", "desktop")), fullPage: true });
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
}

mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--headless", "--disable-gpu"],
});
try {
  const context = await browser.newContext({ viewport: WIDTHS[0]! });
  const page = await context.newPage();
  await signInOrSetup(page);
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    for (const route of PAGES) {
      await page.goto(`${base}${route}`);
      await page.waitForLoadState("networkidle");
      const file = path.join(outDir, fileName(route, size.name));
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
  }
  // The add-user dialog, on a phone.
  await page.goto(`${base}/settings/users`);
  await page.getByRole("button", { name: "Add user" }).click();
  await page.getByRole("button", { name: "Create user" }).click();
  await page.getByText("Enter a name.").waitFor();
  await page.screenshot({ path: path.join(outDir, "add-user-dialog-phone.png") });
  await page.keyboard.press("Escape");
  // The phone menu, opened.
  await page.goto(`${base}/`);
  await page.getByRole("button", { name: "Open menu" }).click();
  await page.screenshot({ path: path.join(outDir, "menu-phone.png") });
  if (readme) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/`);
    await page.waitForLoadState("networkidle");
    mkdirSync("docs", { recursive: true });
    await page.screenshot({ path: "docs/screenshot.png" });
    console.log("docs/screenshot.png");
  }
} finally {
  await browser.close();
}
