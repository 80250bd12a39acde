import { describe, expect, it } from "vitest";
import { contactSchema, joinTags, splitTags, toFieldErrors } from "@/lib/contacts/contact.schema";
import { DEFAULT_EXTENSION_RULE } from "@/lib/destinations/destination";

const schema = contactSchema({ country: "US", extensions: DEFAULT_EXTENSION_RULE });
const base = { name: "Ada Lovelace", phones: [{ number: "212 555 0100", label: "desk" }] };

function accepts(deskEndpoint: string) {
  return schema.safeParse({ ...base, deskEndpoint }).success;
}

function errorsOf(input: unknown) {
  const r = schema.safeParse(input);
  return r.success ? {} : toFieldErrors(r.error);
}

describe("contactSchema", () => {
  it("normalises phones to E.164 and empties optional fields to null", () => {
    const r = schema.parse({
      ...base,
      deskEndpoint: "",
      timeZone: "Europe/Paris",
      language: "pt-BR",
      tags: "Night-Shift, vip ,vip",
      notes: "line one\nline two",
    });
    expect(r).toMatchObject({
      name: "Ada Lovelace",
      phones: [{ number: "+12125550100", label: "desk", kind: "external" }],
      deskEndpoint: null,
      timeZone: "Europe/Paris",
      language: "pt-BR",
      tags: ["night-shift", "vip"],
      notes: "line one\nline two",
    });
  });

  it("names the field of every problem", () => {
    const e = errorsOf({
      name: "",
      phones: [{ number: "12" }],
      deskEndpoint: "PJSIP/10 01",
      timeZone: "Mars/Base",
      language: "english",
      tags: "a b",
      notes: "x".repeat(2001),
    });
    expect(Object.keys(e).sort()).toEqual(["deskEndpoint", "language", "name", "notes", "phones.0.number", "tags.0", "timeZone"]);
    expect(e["phones.0.number"]![0]).toMatch(/too short/);
  });

  it("rejects control characters rather than stripping them", () => {
    expect(errorsOf({ ...base, name: "Eve\nApplication: System" }).name![0]).toMatch(/control characters/);
    expect(errorsOf({ ...base, name: "Eve\t" }).name![0]).toMatch(/control characters/);
    expect(errorsOf({ ...base, name: "Eve\u2028" }).name).toBeDefined();
    expect(errorsOf({ ...base, deskEndpoint: "PJSIP/1001\n" }).deskEndpoint![0]).toMatch(/control characters/);
    expect(errorsOf({ ...base, notes: "bell\u0007" }).notes).toBeDefined();
    expect(errorsOf({ ...base, tags: ["vip\r"] })["tags.0"]).toBeDefined();
  });

  it("accepts the desk endpoint grammar and nothing else", () => {
    expect(
      ["PJSIP/1001", "SIP/alice", "IAX2/office-1", "DAHDI/1", "Local/1001@from-internal"].filter((e) => !accepts(e)),
    ).toEqual([]);
    expect(
      ["1001", "pjsip/1001", "PJSIP/", "PJSIP/1001&PJSIP/1002", "PJSIP/1001,30", "Console/dsp", "PJSIP/10 01"].filter(accepts),
    ).toEqual([]);
  });

  it("requires one to ten distinct phones and a name of at most 200 characters", () => {
    expect(errorsOf({ name: "A", phones: [] }).phones![0]).toMatch(/at least one/);
    expect(
      errorsOf({ name: "A", phones: [{ number: "2125550100" }, { number: "+1 212 555 0100" }] })["phones.1.number"]![0],
    ).toMatch(/Same number/);
    expect(errorsOf({ ...base, name: "x".repeat(201) }).name![0]).toMatch(/at most 200/);
  });

  it("stores tags so one LIKE finds one tag", () => {
    expect(joinTags(["a", "b"])).toBe(",a,b,");
    expect(splitTags(",a,b,")).toEqual(["a", "b"]);
    expect(joinTags([])).toBe("");
  });
});
