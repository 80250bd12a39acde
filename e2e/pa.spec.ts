/**
 * PA and click-to-call against the bundled simulator, whose callees follow
 * e2e/support/sim-callees.json: in the "PA drill" group numbers ending 0-4 answer and press 1,
 * 5-6 answer without pressing, 7 is busy, 8 never answers, 9 gets congestion; the "Stop
 * drill" numbers never answer; the desk phone PJSIP/2001 answers.
 */
import { expect, test, type Request } from "@playwright/test";
import { ensureAdmin, signIn, signOut } from "./support/accounts";
import { addUser, importGroup, shot } from "./support/ui-fixtures";

const OPERATOR = { name: "Pat PA-Operator", email: "pat.pa@example.org", password: "operator password pa" };
const VIEWER = { name: "Vic PA-Viewer", email: "vic.pa@example.org", password: "viewer password pa" };

type CapturedAction = { url: string; headers: Record<string, string>; body: string };
let launchAction: CapturedAction | undefined;
let boardUrl = "";

test.describe.configure({ mode: "serial" });

test("setup: an operator, a viewer, and two groups of contacts", async ({ page }) => {
  test.setTimeout(120_000);
  await ensureAdmin(page);
  await addUser(page, OPERATOR, "operator");
  await addUser(page, VIEWER, "viewer");
  const drill = Array.from(
    { length: 20 },
    (_, i) => `Drill ${String(i).padStart(2, "0")},+1212555${String(100 + i).padStart(4, "0")}`,
  );
  await importGroup(page, "PA drill", drill);
  const stop = Array.from(
    { length: 30 },
    (_, i) => `Stopper ${String(i).padStart(2, "0")},+1212555${String(200 + i).padStart(4, "0")}`,
  );
  await importGroup(page, "Stop drill", stop);
});

test("an operator sends a PA to 20 phones; the board ends on the callees' outcomes", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, OPERATOR.email, OPERATOR.password);
  await page.goto("/pa");
  await page.getByRole("checkbox", { name: /PA drill/ }).check();
  await page.getByRole("radio", { name: "Type text" }).check();
  await page.getByLabel("Announcement text").fill("This is a fire drill. Please leave the building by the nearest exit.");
  await shot(page, "pa-form");

  // Escape backs out of the confirm step without sending.
  await page.getByRole("button", { name: "Review PA" }).click();
  const dialog = page.getByRole("dialog", { name: "Send this PA now?" });
  const send = dialog.getByRole("button", { name: "Send PA to 20 phones" });
  await expect(send).toBeFocused();
  await shot(page, "pa-confirm");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  // Focus returns to the button that opened the dialog, not to the page body.
  await expect(page.getByRole("button", { name: "Review PA" })).toBeFocused();

  // Review again and confirm with Enter alone (the send button has focus).
  const requests: Request[] = [];
  const onRequest = (r: Request) => {
    if (r.method() === "POST" && r.headers()["next-action"] && (r.postData() ?? "").includes("ttsText")) requests.push(r);
  };
  page.on("request", onRequest);
  await page.getByRole("button", { name: "Review PA" }).focus();
  await page.keyboard.press("Enter");
  await expect(send).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/pa\/[a-z0-9]+$/, { timeout: 30_000 });
  page.off("request", onRequest);
  const r = requests[0]!;
  launchAction = { url: r.url(), headers: r.headers(), body: r.postData() ?? "" };
  boardUrl = new URL(page.url()).pathname;

  await expect(page.getByRole("heading", { name: /^PA: This is a fire drill/ })).toBeVisible();
  await expect(page.locator("tbody tr")).toHaveCount(20);
  await expect(page.getByRole("main").getByText("Live", { exact: true })).toBeVisible();
  await shot(page, "pa-board-live");
  // No-answer rings for the host's WaitTime (30 s) and the unacknowledged prompts take ~20 s.
  await expect(page.getByRole("main").getByText("Finished", { exact: true })).toBeVisible({ timeout: 120_000 });
  const rows = (state: string) => page.locator(`tbody tr[data-state="${state}"]`);
  await expect(rows("acknowledged")).toHaveCount(10);
  await expect(rows("heard")).toHaveCount(4);
  await expect(rows("busy")).toHaveCount(2);
  await expect(rows("no-answer")).toHaveCount(2);
  await expect(rows("failed")).toHaveCount(2);
  // Each row in plain words (lib/calls/outcome-words.ts); never an engine state name.
  await expect(page.getByRole("row", { name: /Drill 07/ })).toContainText("Busy");
  await expect(page.getByRole("row", { name: /Drill 13/ })).toContainText("Confirmed");
  await expect(page.getByRole("row", { name: /Drill 05/ })).toContainText("Heard, not confirmed");
  await expect(page.getByRole("row", { name: /Drill 09/ })).toContainText("Network congestion");
  await expect(page.getByRole("row", { name: /Drill 08/ })).toContainText("No answer");
  await expect(page.locator("tbody")).not.toContainText(/not-acknowledged|no-answer|retry-wait|\bexpired\b|\bspooled\b/);
  const counters = page.getByRole("region", { name: "Counters" });
  await expect(counters).toContainText("Reached10");
  await expect(counters).toContainText("Unreached10");
  // Counts per outcome group: congestion is under Failed, busy and no answer under Not reached.
  await expect(counters).toContainText("Confirmed10");
  await expect(counters).toContainText("Heard4");
  await expect(counters).toContainText("Not reached4");
  await expect(counters).toContainText("Failed2");
  await shot(page, "pa-board-done");
});

test("a viewer can watch the board but cannot send or stop a PA, in the UI or by posting", async ({ page }) => {
  await signIn(page, VIEWER.email, VIEWER.password);
  await page.goto("/pa");
  await expect(page.getByRole("heading", { name: "PA", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: /Review/ })).toHaveCount(0);
  await expect(page.getByText("Sending one needs the operator role.")).toBeVisible();
  await page.goto(boardUrl);
  await expect(page.locator("tbody tr")).toHaveCount(20);
  await expect(page.getByRole("button", { name: "Stop all" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Re-call/ })).toHaveCount(0);

  const replay = await page.request.post(launchAction!.url, {
    headers: {
      "next-action": launchAction!.headers["next-action"]!,
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
    },
    data: launchAction!.body,
  });
  expect(await replay.text()).toContain("You do not have permission to do this.");
});

test("an admin makes a PA template; operators pick it, and cannot edit templates", async ({ page }) => {
  await ensureAdmin(page);
  await page.goto("/pa/templates");
  const form = page.getByRole("form", { name: "New template" });
  await form.getByLabel("Name").fill("Fire alarm");
  await form.getByLabel("Require acknowledgement").uncheck();
  await form.getByLabel("Play the message").selectOption("2");
  await form.getByRole("button", { name: "Create template" }).click();
  await expect(page.getByRole("heading", { name: "Fire alarm" })).toBeVisible();
  await shot(page, "pa-templates");

  await signOut(page);
  await signIn(page, OPERATOR.email, OPERATOR.password);
  await page.goto("/pa");
  await expect(page.getByRole("link", { name: "Templates" })).toHaveCount(0);
  await page.getByRole("radio", { name: "Template" }).check();
  await expect(page.getByLabel("Which template")).toContainText("Fire alarm");
  // The template's options are filled in.
  await expect(page.getByLabel("Require acknowledgement (press 1)")).not.toBeChecked();
  await expect(page.getByLabel("Play the message")).toHaveValue("2");
  await page.goto("/pa/templates");
  await expect(page.getByRole("heading", { name: "PA templates" })).toHaveCount(0);
});

test("click-to-call: the operator sets a desk phone; the toast follows the desk answer, then the contact leg Asterisk reported", async ({
  page,
}) => {
  await signIn(page, OPERATOR.email, OPERATOR.password);
  await page.goto("/contacts?q=Drill 03");
  const button = page.getByRole("button", { name: "Call Drill 03 at +12125550103" });
  await button.click();
  await expect(page.getByText(/Set your desk phone on "Your account" first/)).toBeVisible();

  await page.goto("/account");
  await page.getByLabel("Desk phone").fill("PJSIP/2001");
  await page.getByRole("button", { name: "Save desk phone" }).click();
  await expect(page.getByText("Desk phone set to PJSIP/2001")).toBeVisible();

  await page.goto("/contacts?q=Drill 03");
  await page.getByRole("button", { name: "Call Drill 03 at +12125550103" }).click();
  await expect(page.getByText(/Ringing your phone|Calling your phone/)).toBeVisible();
  // The bundled simulator runs the dialplan snippet: the desk answer, then Dial()'s DIALSTATUS.
  await expect(page.getByText("Your phone answered. Calling Drill 03 (+12125550103)…")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^Connected to Drill 03 \(\+12125550103\) \(call lasted 0:0\d\); call ended$/)).toBeVisible({
    timeout: 30_000,
  });

  // A busy contact: the desk phone answered, but never "Connected".
  await page.goto("/contacts?q=Drill 07");
  await page.getByRole("button", { name: "Call Drill 07 at +12125550107" }).click();
  await expect(page.getByText("Contact busy: Drill 07 (+12125550107)")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/Connected/)).toHaveCount(0);
});

test("stop all cancels the calls that have not started ringing", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, OPERATOR.email, OPERATOR.password);
  await page.goto("/pa");
  await page.getByRole("checkbox", { name: /Stop drill/ }).check();
  await page.getByRole("radio", { name: "From the library" }).check();
  await page.getByRole("button", { name: "Review PA" }).click();
  await page.getByRole("button", { name: "Send PA to 30 phones" }).click();
  await expect(page).toHaveURL(/\/pa\/[a-z0-9]+$/, { timeout: 30_000 });
  // The host dials at most 20 at once, so at least 10 are still queued. Stop asks first.
  await page.getByRole("button", { name: "Stop all" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Stop this PA?" });
  await expect(confirm).toContainText("already ringing cannot be stopped before answer");
  await confirm.getByRole("button", { name: "Stop all" }).click();
  await expect(page.getByText(/Stopped: \d+ calls? withdrawn/)).toBeVisible();
  await expect(page.getByRole("heading", { name: /Stopped/ })).toBeVisible();
  // One status: never "Live" beside "Stopped", and Stop cannot be pressed again.
  await expect(page.getByRole("heading", { name: /Live/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Stopped" })).toBeDisabled();
  await expect(page.locator('tbody tr[data-state="queued"]')).toHaveCount(0);
  const cancelled = await page.locator('tbody tr[data-state="cancelled"]').count();
  expect(cancelled).toBeGreaterThanOrEqual(10);
  await shot(page, "pa-board-stopped");
});

test("a message that is not on the Asterisk host is refused next to the field, and can be spoken instead", async ({ page }) => {
  test.setTimeout(120_000);
  // A default host whose sounds root cannot be created (a file is in the way): no message reaches it.
  await ensureAdmin(page);
  await page.goto("/settings");
  const simHost = page.locator("li").filter({ has: page.getByRole("link", { name: "default", exact: true }) });
  const spoolDir = (await simHost.locator("code").first().textContent())!.trim();
  await page.getByRole("link", { name: "Add host" }).click();
  await page.getByLabel("Name").fill("Annex PBX");
  await page.getByLabel("Default host").check();
  await page.getByLabel("Spool directory").fill(spoolDir);
  await page.getByLabel("Sounds root").fill("/etc/hostname/sounds");
  await page.getByRole("button", { name: "Create host" }).click();

  try {
    // Saving tries to copy every message there (and fails), which takes a moment.
    await expect(page.getByRole("heading", { name: "Host “Annex PBX”" })).toBeVisible({ timeout: 30_000 });
    await signOut(page);
    await signIn(page, OPERATOR.email, OPERATOR.password);
    await page.goto("/pa");
    await page.getByRole("checkbox", { name: /PA drill/ }).check();
    await page.getByRole("radio", { name: "From the library" }).check();
    const field = page.getByLabel("Library message");
    // The typed-text PA of the first test, saved to the library (with its text) under its first words.
    const spokenOption = field.locator("option", { hasText: "PA: This is a fire drill" }).first();
    await field.selectOption({ label: (await spokenOption.textContent())! });
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toHaveAccessibleDescription(
      /The message "PA: This is a fire drill\. .*" is not on the Asterisk host "Annex PBX" \(copying it failed: .*\), so callees would hear nothing\./,
    );
    await shot(page, "pa-not-on-host");
    // Review is refused: no confirm dialog.
    await page.getByRole("button", { name: "Review PA" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);

    // The emergency way out: speak its text. Here the spoken copy cannot reach the host either.
    await page.getByLabel(/Send it anyway with its text spoken by text-to-speech/).check();
    await expect(field).not.toHaveAttribute("aria-invalid", "true");
    await shot(page, "pa-spoken-instead");
    await page.getByRole("button", { name: "Review PA" }).click();
    const dialog = page.getByRole("dialog", { name: "Send this PA now?" });
    await expect(dialog).toContainText("(its text spoken by text-to-speech)");
    await dialog.getByRole("button", { name: "Send PA to 20 phones" }).click();
    await expect(field).toHaveAccessibleDescription(
      /Neither ".*" nor its spoken text could be copied to the Asterisk host "Annex PBX"/,
    );
    await expect(page).toHaveURL(/\/pa$/);
  } finally {
    // The simulator's host is the default again for the specs that follow.
    await signOut(page).catch(() => {});
    await ensureAdmin(page);
    await page.goto("/settings");
    await page.getByRole("link", { name: "default", exact: true }).click();
    await page.getByLabel("Default host").check();
    await page.getByRole("button", { name: "Save host" }).click();
    await expect(page.getByText(/Host “default” saved/)).toBeVisible({ timeout: 30_000 });
  }
});
