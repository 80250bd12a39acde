import { expect, test, type Page } from "@playwright/test";
import { ensureAdmin } from "./support/accounts";
import { toneWav } from "./support/tone-wav";

function row(page: Page, name: string) {
  return page.getByTestId("message-row").filter({ has: page.getByText(name, { exact: true }) });
}

test("an operator uploads, plays, renames and deletes a recording; bad files are refused", async ({ page }) => {
  await ensureAdmin(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Messages" }).click();
  await expect(page.getByRole("heading", { name: "Messages" })).toBeVisible();

  // A text file with a .wav name is refused with a clear message and nothing is listed.
  await page.getByRole("button", { name: "Upload recording" }).click();
  await page
    .getByRole("dialog")
    .locator('input[type="file"]')
    .setInputFiles({ name: "notes.wav", mimeType: "audio/wav", buffer: Buffer.from("meeting notes, not audio") });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText("This is not an audio file Spoolcast can read")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Name" })).toHaveValue("notes");

  // A real recording: converted, listed with its duration and tags.
  await page
    .getByRole("dialog")
    .locator('input[type="file"]')
    .setInputFiles({ name: "fire-drill.wav", mimeType: "audio/wav", buffer: toneWav(1.5) });
  await page.getByRole("textbox", { name: "Name" }).fill("E2E fire drill");
  await page.getByRole("textbox", { name: "Tags" }).fill("Fire, drill");
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  const uploaded = row(page, "E2E fire drill");
  await expect(uploaded).toContainText("Recording · 1.5 s");
  await expect(uploaded).toContainText("fire");
  await expect(uploaded).toContainText("drill");
  await expect(uploaded).toContainText("Not used");

  // The play button's source serves the converted 8 kHz mono WAV.
  const src = await uploaded.getByLabel("Play E2E fire drill").getAttribute("src");
  const audio = await page.request.get(src!);
  expect(audio.status()).toBe(200);
  expect(audio.headers()["content-type"]).toBe("audio/wav");
  const wav = await audio.body();
  expect(wav.subarray(0, 4).toString("latin1")).toBe("RIFF");
  expect([wav.readUInt16LE(22), wav.readUInt32LE(24), wav.readUInt16LE(34)]).toEqual([1, 8000, 16]);

  // Rename and re-tag.
  await uploaded.getByRole("button", { name: "Rename E2E fire drill" }).click();
  await page.getByRole("dialog").getByRole("textbox", { name: "Name" }).fill("E2E evacuation drill");
  await page.getByRole("dialog").getByRole("textbox", { name: "Tags" }).fill("evacuation");
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  const renamed = row(page, "E2E evacuation drill");
  await expect(renamed).toContainText("evacuation");
  await page.getByRole("navigation", { name: "Filter by tag" }).getByRole("link", { name: "evacuation" }).click();
  await expect(page.getByTestId("message-row")).toHaveCount(1);

  // Delete after confirming.
  await renamed.getByRole("button", { name: "Delete E2E evacuation drill" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("E2E evacuation drill", { exact: true })).toBeHidden();
  expect((await page.request.get(src!)).status()).toBe(404);
});

test("text to speech is previewed in the browser before it is saved", async ({ page }) => {
  await ensureAdmin(page);
  await page.goto("/messages");
  await page.getByRole("button", { name: "Text to speech" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox", { name: "Name" }).fill("E2E lockdown");
  await dialog.getByRole("textbox", { name: "Text to speak" }).fill("Lockdown. Stay in your room and lock the door.");
  await dialog.getByRole("combobox", { name: "Voice" }).selectOption("en-us");
  await dialog.getByRole("button", { name: "Preview" }).click();
  const preview = dialog.getByLabel("Preview");
  await expect(preview).toBeVisible();
  expect(await preview.getAttribute("src")).toMatch(/^data:audio\/wav;base64,UklGR/);
  // Changing the text makes the preview stale.
  await dialog.getByRole("textbox", { name: "Text to speak" }).fill("Lockdown. Stay in your room.");
  await expect(dialog.getByText("preview again")).toBeVisible();
  await dialog.getByRole("button", { name: "Save message" }).click();
  await expect(dialog).toBeHidden();
  const saved = row(page, "E2E lockdown");
  await expect(saved).toContainText("Text to speech");
  await expect(saved).toContainText("“Lockdown. Stay in your room.”");
});
