import { expect, test, type Page, type Request } from "@playwright/test";
import { ADMIN, completeSetup, signIn, signOut } from "./support/accounts";

const VIEWER = { name: "Vera Viewer", email: "vera.viewer@example.org", password: "viewer password 1" };
const OPERATOR = { name: "Otto Operator", email: "otto.operator@example.org", password: "operator password 1" };

/** A server action request as the browser sent it, to replay with another user's cookie. */
type CapturedAction = { url: string; headers: Record<string, string>; body: string };

function captureNextAction(page: Page, predicate: (body: string) => boolean): () => CapturedAction {
  let captured: CapturedAction | undefined;
  const onRequest = (request: Request) => {
    const headers = request.headers();
    const body = request.postData() ?? "";
    if (request.method() === "POST" && headers["next-action"] && predicate(body)) {
      captured = { url: request.url(), headers, body };
    }
  };
  page.on("request", onRequest);
  return () => {
    page.off("request", onRequest);
    if (!captured) throw new Error("no server action request was captured");
    return captured;
  };
}

/** Posts a server action by hand, as a script holding the browser's cookie could. */
async function replayAction(page: Page, action: CapturedAction, body: unknown): Promise<string> {
  const response = await page.request.post(action.url, {
    headers: {
      "next-action": action.headers["next-action"]!,
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
    },
    data: JSON.stringify(body),
  });
  expect(response.status()).toBe(200);
  return response.text();
}

async function addUser(page: Page, user: { name: string; email: string; password: string }, role: string): Promise<void> {
  await page.getByRole("button", { name: "Add user" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a user" });
  await dialog.getByLabel("Name").fill(user.name);
  await dialog.getByLabel("Email").fill(user.email);
  await dialog.getByLabel("Role").selectOption(role);
  await dialog.getByLabel("Initial password").fill(user.password);
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText(`${user.name} can now sign in`)).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId(`user-row-${user.email}`)).toBeVisible();
}

test.describe.configure({ mode: "serial" });

let createUserAction: CapturedAction;
let changeRoleAction: CapturedAction;

test("first visit asks for the first administrator, then opens the dashboard", async ({ page }) => {
  await page.goto("/");
  if (new URL(page.url()).pathname === "/login") {
    // Another spec ran first and created the admin through the same setup form: setup is closed.
    await page.goto("/setup");
    await expect(page).toHaveURL(/\/login$/);
    return;
  }
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Welcome to Spoolcast" })).toBeVisible();

  // A weak password is refused with the reason next to the field.
  await page.getByLabel("Your name").fill(ADMIN.name);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill("short");
  await page.getByLabel("Confirm password").fill("short");
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page.getByRole("textbox", { name: "Password", exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();

  await completeSetup(page);
  await expect(page.getByText(`Signed in as ${ADMIN.name}`)).toBeVisible();
  // Setup is one-shot.
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/$/);
});

test("signs out, refuses a wrong password, signs in again", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await signOut(page);
  await page.goto("/settings/users");
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2Fusers$/);

  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Email or password is incorrect.");

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Back to where the visitor was going.
  await expect(page).toHaveURL(/\/settings\/users$/);
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
});

test("the session cookie is httpOnly and SameSite=Lax", async ({ page, context }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const cookie = (await context.cookies()).find((c) => c.name === "spoolcast_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  expect(await page.evaluate(() => document.cookie)).not.toContain("spoolcast_session");
});

test("an admin creates a viewer and an operator, and changes a role", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/settings/users");
  const stopCreate = captureNextAction(page, (body) => body.includes(OPERATOR.email));
  await addUser(page, VIEWER, "viewer");
  await addUser(page, OPERATOR, "operator");
  createUserAction = stopCreate();

  // Change the operator to viewer and back, through the role menu.
  const stopRole = captureNextAction(page, (body) => body.includes('"role":"viewer"'));
  const operatorRow = page.getByTestId(`user-row-${OPERATOR.email}`);
  await operatorRow.getByLabel(`Role of ${OPERATOR.name}`).selectOption("viewer");
  await expect(page.getByText(`${OPERATOR.name} is now viewer`)).toBeVisible();
  changeRoleAction = stopRole();
  await operatorRow.getByLabel(`Role of ${OPERATOR.name}`).selectOption("operator");
  await expect(page.getByText(`${OPERATOR.name} is now operator`)).toBeVisible();
});

test("a viewer sees no edit controls, and the server refuses their actions", async ({ page }) => {
  await signIn(page, VIEWER.email, VIEWER.password);
  await page.goto("/settings/users");
  await expect(page.getByTestId(`user-row-${OPERATOR.email}`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Add user" })).toHaveCount(0);
  await expect(page.getByRole("combobox")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Actions for/ })).toHaveCount(0);
  await expect(page.getByText("Only administrators can change accounts.")).toBeVisible();

  // Replay the admin's actions with the viewer's cookie: make the operator an admin, add a user.
  const [roleInput] = JSON.parse(changeRoleAction.body) as [{ userId: string }];
  const roleReply = await replayAction(page, changeRoleAction, [{ userId: roleInput.userId, role: "admin" }]);
  expect(roleReply).toContain("You do not have permission to do this.");
  const createReply = await replayAction(page, createUserAction, [
    { name: "Mallory", email: "mallory@example.org", role: "admin", password: "mallory password" },
  ]);
  expect(createReply).toContain("You do not have permission to do this.");

  // The audit log is for admins only.
  await page.goto("/settings/audit");
  await expect(page.getByRole("heading", { name: "You do not have access to that page" })).toBeVisible();

  // Nothing changed: the admin still sees the operator as operator and no Mallory.
  await signOut(page);
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/settings/users");
  await expect(page.getByTestId(`user-row-${OPERATOR.email}`).getByLabel(`Role of ${OPERATOR.name}`)).toHaveValue("operator");
  await expect(page.getByTestId("user-row-mallory@example.org")).toHaveCount(0);
});

test("the audit log lists the user changes with who made them", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/settings/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("cell", { name: `Created ${VIEWER.name} <${VIEWER.email}> as viewer` })).toBeVisible();
  await expect(page.getByRole("cell", { name: `Created ${OPERATOR.name} <${OPERATOR.email}> as operator` })).toBeVisible();

  await page.getByLabel("Action").selectOption("user.role.change");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=user\.role\.change/);
  await expect(page.getByRole("row")).toHaveCount(3); // header + two changes
  await expect(page.getByText(`${OPERATOR.name} <${OPERATOR.email}>: role operator → viewer`)).toBeVisible();
  await expect(page.getByText("Created")).toHaveCount(0);
});

test("a disabled account cannot sign in", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/settings/users");
  await page.getByRole("button", { name: `Actions for ${OPERATOR.name}` }).click();
  await page.getByRole("menuitem", { name: "Disable" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disable account" }).click();
  await expect(page.getByTestId(`user-row-${OPERATOR.email}`).getByText("Disabled")).toBeVisible();
  await signOut(page);

  await page.getByLabel("Email").fill(OPERATOR.email);
  await page.getByLabel("Password").fill(OPERATOR.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This account is disabled");
});
