/**
 * Wake-up calls end to end with the bundled simulator: the callee rules in
 * e2e/support/sim-callees.json decide who answers and which keys they press, and
 * SPOOLCAST_WAKEUP_TIME_SCALE=60 (scripts/e2e-server.sh) turns snooze minutes and retry
 * intervals into seconds. Each booking is for the current minute, so it rings at once.
 */
import { expect, test, type Page } from "@playwright/test";
import { ensureAdmin } from "./support/accounts";

/** The site zone is UTC on a fresh e2e database. */
function nowUtc(): { date: string; time: string } {
  const iso = new Date().toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

async function book(
  page: Page,
  room: string,
  fields: { guest?: string; snoozeMinutes?: string; maxSnoozes?: string; retries?: string; escalateTo?: string } = {},
) {
  const form = page.getByRole("form", { name: "Book a wake-up" });
  const { date, time } = nowUtc();
  await form.getByLabel("Room").fill(room);
  await form.getByLabel(/^Time/).fill(time);
  if (fields.guest) await form.getByLabel("Guest name").fill(fields.guest);
  await form.getByText("Time zone, start date, snooze and escalation").click();
  // Explicit first day: a minute rolling over while typing must not push the call to tomorrow.
  await form.getByLabel("First day").fill(date);
  if (fields.snoozeMinutes) await form.getByLabel("Snooze minutes").fill(fields.snoozeMinutes);
  if (fields.maxSnoozes) await form.getByLabel("Max snoozes").fill(fields.maxSnoozes);
  if (fields.retries) await form.getByLabel("Retries if no answer").fill(fields.retries);
  await form.getByLabel("Front desk to alert").fill(fields.escalateTo ?? "");
  await form.getByRole("button", { name: "Book wake-up" }).click();
  await expect(page.getByText(`Wake-up booked for room ${room}`)).toBeVisible();
}

function callRow(page: Page, room: string) {
  return page.getByTestId("wakeup-call").filter({ hasText: `Room ${room}` });
}

test.beforeEach(async ({ page }) => {
  await ensureAdmin(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Wake-ups" }).click();
  await expect(page.getByRole("heading", { name: "Wake-ups", level: 1 })).toBeVisible();
});

test("a guest confirms with 1", async ({ page }) => {
  await book(page, "7101", { guest: "Grace Hopper" });
  const row = callRow(page, "7101");
  await expect(row).toContainText("Grace Hopper");
  await expect(row.getByTestId("wakeup-state")).toHaveText("Confirmed", { timeout: 30_000 });
  await expect(page.getByTestId("wakeup-series").filter({ hasText: "7101" })).toBeVisible();
});

test("a guest snoozes with 5, is called again after the snooze, then confirms", async ({ page }) => {
  await book(page, "7102", { snoozeMinutes: "1", maxSnoozes: "1" });
  const row = callRow(page, "7102");
  // Snoozed once (the second call offers no snooze, so the callee's 1 confirms it).
  await expect(row.getByTestId("wakeup-state")).toHaveText("Confirmed", { timeout: 40_000 });
  await expect(row).toContainText("snoozed 1/1");
  await expect(page.getByTestId("wakeup-report-row").first()).toBeVisible();
});

test("no answer after the retries alerts the desk on the page and the dashboard and calls the front desk", async ({ page }) => {
  await book(page, "7103", { guest: "Alan", retries: "1", escalateTo: "7100" });
  const row = callRow(page, "7103");
  await expect(row.getByTestId("wakeup-state")).toHaveText("Front desk called", { timeout: 45_000 });
  await expect(row).toContainText("no answer");
  const banner = page.getByTestId("wakeup-alerts");
  await expect(banner).toContainText("7103");
  await expect(banner).toContainText("front desk 7100 was called");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByTestId("wakeup-alerts")).toContainText("Room 7103 (Alan) did not answer");
  // A user acknowledges it on the dashboard: it leaves the banner here and on the wake-ups page.
  const alert = page.getByTestId("wakeup-alert").filter({ hasText: "Room 7103" });
  await expect(alert).toContainText(/Due \d{4}-\d{2}-\d{2} \d{2}:\d{2}\./);
  await alert.getByRole("button", { name: /^Acknowledge the alert for room 7103/ }).click();
  await expect(page.getByText(/Alert for room 7103 .* acknowledged/)).toBeVisible();
  await expect(alert).toHaveCount(0);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Wake-ups" }).click();
  await expect(page.getByTestId("wakeup-alert").filter({ hasText: "Room 7103" })).toHaveCount(0);
});

test("a guest who answers and hangs up is called again, then shown 'Answered, not confirmed', never 'No answer'", async ({
  page,
}) => {
  await book(page, "7104", { guest: "Ada", retries: "1" });
  const row = callRow(page, "7104");
  await expect(row.getByTestId("wakeup-state")).toHaveText("Answered, not confirmed", { timeout: 45_000 });
  await expect(row).toContainText("called again 1/1");
  await expect(page.getByTestId("wakeup-alerts")).toContainText("Room 7104 (Ada) answered the " /* time */);
  await expect(page.getByTestId("wakeup-alerts")).toContainText("but did not confirm being awake — please check on the guest.");
});

test("bad input is refused next to the field; a booking can be edited and cancelled", async ({ page }) => {
  const form = page.getByRole("form", { name: "Book a wake-up" });
  await form.getByLabel("Room").fill("Suite 9");
  await form.getByLabel(/^Time/).fill("06:30");
  await form.getByLabel("Repeat").selectOption("custom");
  await form.getByLabel("Custom RRULE").fill("FREQ=WEEKLY;BYDAY=SA,SU");
  await form.getByRole("button", { name: "Book wake-up" }).click();
  await expect(form.getByText("Enter the extension to call").first()).toBeVisible();
  await form.getByLabel("Phone to ring").fill("PJSIP/9009");
  await form.getByLabel("Custom RRULE").fill("FREQ=HOURLY");
  await form.getByRole("button", { name: "Book wake-up" }).click();
  await expect(form.getByText(/at most one call a day/).first()).toBeVisible();
  await form.getByLabel("Custom RRULE").fill("FREQ=WEEKLY;BYDAY=SA,SU");
  await form.getByRole("button", { name: "Book wake-up" }).click();
  await expect(page.getByText("Wake-up booked for room Suite 9")).toBeVisible();
  const series = page.getByTestId("wakeup-series").filter({ hasText: "Suite 9" });
  await expect(series).toContainText("FREQ=WEEKLY;BYDAY=SA,SU");
  // Edit: the series moves to the new time.
  await series.getByRole("button", { name: /^Edit/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/^Time/).fill("06:45");
  await dialog.getByLabel("Guest name").fill("Edsger");
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(dialog).toBeHidden();
  await expect(series).toContainText("06:45");
  await expect(series).toContainText("Edsger");
  await series.getByRole("button", { name: /Cancel series/ }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Cancel series" }).click();
  await expect(series).toHaveCount(0);
});

test("how late a wake-up may still ring: the site's setting and a booking's own, refused next to the field when out of range", async ({
  page,
}) => {
  await page.goto("/settings/site");
  const late = page.getByRole("form", { name: "Late calls" });
  await late.getByLabel(/^Wake-up tolerance/).fill("0");
  await late.getByRole("button", { name: "Save" }).click();
  await expect(late.getByText("Wake-up tolerance: a whole number of minutes from 1 to 120")).toBeVisible();
  await late.getByLabel(/^Wake-up tolerance/).fill("20");
  await late.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Late-call settings saved")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("form", { name: "Late calls" }).getByLabel(/^Wake-up tolerance/)).toHaveValue("20");

  await page.goto("/wakeups");
  const form = page.getByRole("form", { name: "Book a wake-up" });
  await form.getByLabel("Room").fill("7190");
  await form.getByLabel(/^Time/).fill("05:15");
  await form.getByText("Time zone, start date, snooze and escalation").click();
  const latest = form.getByLabel(/^Latest ring/);
  await expect(latest).toHaveAttribute("placeholder", "20");
  await latest.fill("500");
  await form.getByRole("button", { name: "Book wake-up" }).click();
  await expect(form.getByText("Wake-up tolerance: a whole number of minutes from 1 to 120").first()).toBeVisible();
  await latest.fill("45");
  await form.getByRole("button", { name: "Book wake-up" }).click();
  await expect(page.getByText("Wake-up booked for room 7190")).toBeVisible();
  await expect(page.getByTestId("wakeup-series").filter({ hasText: "7190" })).toContainText("rings up to 45 min late");

  // Back to the default for the other tests.
  await page.goto("/settings/site");
  await page
    .getByRole("form", { name: "Late calls" })
    .getByLabel(/^Wake-up tolerance/)
    .fill("15");
  await page.getByRole("form", { name: "Late calls" }).getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Late-call settings saved")).toBeVisible();
});
