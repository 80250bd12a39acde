import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCallFile } from "./parse";
import { serializeCallFile } from "./serialize";
import { CallFileError, type CallFile } from "./types";

/** Fragments that have broken call-file writers: line breaks, comment tricks, smuggled keys. */
const ATTACKS = [
  "\n",
  "\r",
  "\r\n",
  "\0",
  "\t",
  "\u0085",
  "\u2028",
  "\u2029",
  "\u000b",
  "\u001b",
  "\uFEFF",
  ";",
  "\\",
  "\\;",
  "#",
  " #",
  "\t#",
  "=",
  ":",
  '"',
  "<",
  ">",
  " ",
  "\nApplication: System",
  "\nData: /bin/sh",
  "\nSet: X=1",
  "\nChannel: Local/666@evil",
  "Application: System",
  "; Application: System",
  "${SHELL(id)}",
  "é",
  "😀",
  "\ud800",
];

const hostile = fc.oneof(
  fc
    .array(fc.oneof(fc.constantFrom(...ATTACKS), fc.string({ unit: "binary", maxLength: 4 }), fc.string({ maxLength: 6 })), {
      maxLength: 10,
    })
    .map((parts) => parts.join("")),
  fc.string({ unit: "binary" }),
  fc.string({ minLength: 990, maxLength: 1100 }),
);

function errorOf(cf: unknown): unknown {
  try {
    serializeCallFile(cf as CallFile);
    return null;
  } catch (e) {
    return e;
  }
}

function serializeOrNull(cf: CallFile): string | null {
  try {
    return serializeCallFile(cf);
  } catch (e) {
    if (e instanceof CallFileError) return null;
    throw e;
  }
}

const word = (re: RegExp) => fc.stringMatching(re);
const callerName = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 20 })
  .filter((s) => serializeOrNull({ channel: "Local/1@c", extension: "s", callerId: { name: s } }) !== null);
const setValue = fc
  .oneof(
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.array(fc.constantFrom(";", "\\", "#", "=", " ", "a", "é"), { maxLength: 12 }).map((a) => a.join("")),
  )
  .filter((s) => serializeOrNull({ channel: "Local/1@c", extension: "s", variables: [["A", s]] }) !== null);

const common = {
  channel: fc
    .tuple(fc.constantFrom("PJSIP", "Local", "SIP", "IAX2", "DAHDI"), word(/^[A-Za-z0-9_+*#@/:.=~!%;[\]-]{1,40}$/))
    .map(([t, r]) => `${t}/${r}`),
  callerId: fc
    .record({ name: callerName, number: word(/^[0-9A-Za-z*#+]{1,20}$/) }, { requiredKeys: [] })
    .filter((c) => c.name !== undefined || c.number !== undefined),
  maxRetries: fc.integer({ min: 0, max: 100 }),
  retryTime: fc.integer({ min: 1, max: 86_400 }),
  waitTime: fc.integer({ min: 1, max: 3_600 }),
  account: word(/^[A-Za-z0-9_.@+-]{1,30}$/),
  archive: fc.boolean(),
  alwaysDelete: fc.constant(true),
  codecs: fc.array(word(/^(?:all|!?[a-z0-9_]{1,8}(?::\d{1,3})?)$/), { minLength: 1, maxLength: 4 }),
  variables: fc.array(fc.tuple(fc.oneof(word(/^_{0,2}[A-Za-z][A-Za-z0-9_]{0,20}$/), fc.constant("CDR(userfield)")), setValue), {
    minLength: 1,
    maxLength: 5,
  }),
};

const dialplanFile = fc.record(
  {
    ...common,
    context: word(/^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,20}$/),
    extension: word(/^[A-Za-z0-9*+][A-Za-z0-9*#+_-]{0,20}$/),
    priority: fc.integer({ min: 1, max: 99_999 }),
    earlyMedia: fc.boolean(),
  },
  { requiredKeys: ["channel", "extension"] },
);
const applicationFile = fc.record(
  {
    ...common,
    application: fc.constant("ExternalIVR" as const),
    data: fc
      .tuple(
        word(/^[a-z0-9.-]{1,20}$/),
        fc.integer({ min: 1, max: 65_535 }),
        word(/^[A-Za-z0-9_-]{1,25}$/),
        word(/^[A-Za-z0-9_-]{22}$/),
      )
      .map(([h, p, id, tok]) => `ivr://${h}:${p}(${id},${tok})`),
  },
  { requiredKeys: ["channel", "application", "data"] },
);
// `variables: []` writes no Set line, the same file as leaving it out, so generators use
// non-empty lists. Asterisk ignores a leading `#` of a value; the extension generator avoids it.
const validFile: fc.Arbitrary<CallFile> = fc.oneof(dialplanFile, applicationFile).filter((cf) => serializeOrNull(cf) !== null);

describe("call-file properties", () => {
  it("parse(serialize(x)) gives back x for every valid x (archive defaults to yes)", () => {
    fc.assert(
      fc.property(validFile, (cf) => {
        const text = serializeCallFile(cf);
        const parsed = parseCallFile(text);
        expect(parsed.file).toEqual({ ...cf, archive: cf.archive ?? true });
        expect(parsed.issues).toEqual([]);
        expect(parsed.valid).toBe(true);
        expect(text.endsWith("\n")).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  type Slot = {
    field: string;
    put: (v: string) => CallFile;
    read: (p: ReturnType<typeof parseCallFile>) => unknown;
    keys: string[];
  };
  const app = { channel: "Local/1@c", application: "Playback" as const, data: "hello" };
  const slots: Slot[] = [
    {
      field: "callerId.name",
      put: (v) => ({ ...app, callerId: { name: v, number: "1" } }),
      read: (p) => p.file.callerId?.name,
      keys: ["Channel", "CallerID", "Application", "Data", "Archive"],
    },
    {
      field: "callerId.number",
      put: (v) => ({ ...app, callerId: { name: "N", number: v } }),
      read: (p) => p.file.callerId?.number,
      keys: ["Channel", "CallerID", "Application", "Data", "Archive"],
    },
    {
      field: "variables.value",
      put: (v) => ({ ...app, variables: [["CONTACT_NAME", v]] }),
      read: (p) => p.file.variables?.[0]?.[1],
      keys: ["Channel", "Application", "Data", "Set", "Archive"],
    },
    {
      field: "variables.name",
      put: (v) => ({ ...app, variables: [[v, "x"]] }),
      read: (p) => p.file.variables?.[0]?.[0],
      keys: ["Channel", "Application", "Data", "Set", "Archive"],
    },
    {
      field: "channel",
      put: (v) => ({ ...app, channel: `PJSIP/${v}` }),
      read: (p) => p.file.channel?.slice(6),
      keys: ["Channel", "Application", "Data", "Archive"],
    },
    {
      field: "account",
      put: (v) => ({ ...app, account: v }),
      read: (p) => p.file.account,
      keys: ["Channel", "Application", "Data", "Account", "Archive"],
    },
    {
      field: "data",
      put: (v) => ({ ...app, data: v }),
      read: (p) => p.file.data,
      keys: ["Channel", "Application", "Data", "Archive"],
    },
    {
      field: "extension",
      put: (v) => ({ channel: "Local/1@c", context: "c", extension: v }),
      read: (p) => p.file.extension,
      keys: ["Channel", "Context", "Extension", "Archive"],
    },
    {
      field: "context",
      put: (v) => ({ channel: "Local/1@c", context: v, extension: "s" }),
      read: (p) => p.file.context,
      keys: ["Channel", "Context", "Extension", "Archive"],
    },
  ];

  it.each(slots)("arbitrary text in $field is rejected or lands exactly, with no extra keys", (slot) => {
    fc.assert(
      fc.property(hostile, (value) => {
        const text = serializeOrNull(slot.put(value));
        if (text === null) return;
        const parsed = parseCallFile(text);
        expect(parsed.entries.map((e) => e.key)).toEqual(slot.keys);
        expect(slot.read(parsed)).toBe(value);
        expect(parsed.issues).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws anything but CallFileError, whatever the input shape", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        const inputs = [
          a,
          { channel: "Local/1@c", extension: "s", variables: [[a, b]] },
          { channel: "Local/1@c", extension: "s", callerId: { name: a, number: b } },
          { channel: a, application: b },
        ];
        for (const cf of inputs) {
          const thrown = errorOf(cf);
          expect(thrown === null || thrown instanceof CallFileError).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("the parser never throws and reports issues with real line numbers", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const parsed = parseCallFile(text);
        const lines = text.split("\n").length;
        for (const issue of parsed.issues) {
          expect(issue.line).toBeGreaterThanOrEqual(1);
          expect(issue.line).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 500 },
    );
  });
});
