import { expect, test } from "@playwright/test";

// A forged server action from another site: refused with 403 before Next.js runs it (it would
// answer 500 and log an error). Same-origin posts are covered by every spec that submits a form.
test("a cross-site POST to a page is refused with 403, naming the reason", async ({ request, baseURL }) => {
  for (const path of ["/login", "/pa", "/settings/hosts"]) {
    const res = await request.post(path, {
      headers: { Origin: "https://evil.example", "Next-Action": "0".repeat(42), "Content-Type": "text/plain;charset=UTF-8" },
      data: "[]",
      maxRedirects: 0,
    });
    expect({ path, status: res.status() }).toEqual({ path, status: 403 });
    expect(await res.json()).toEqual({ error: "Refused: a request from evil.example may not post to this site." });
  }
  const sameSite = await request.post("/login", {
    headers: { Origin: new URL(baseURL!).origin, "Content-Type": "text/plain;charset=UTF-8" },
    data: "",
    maxRedirects: 0,
  });
  expect(sameSite.status()).not.toBe(403);
});
