import { describe, expect, it } from "vitest";
import { parseCallFile } from "./parse";
import { serializeCallFile } from "./serialize";
import { CallFileError, type CallFile } from "./types";

const base: CallFile = { channel: "PJSIP/+15551234567@trunk", application: "Playback", data: "custom/hello" };

function rejection(cf: CallFile): { field: string; reason: string } {
  try {
    serializeCallFile(cf);
  } catch (e) {
    if (e instanceof CallFileError) return { field: e.field, reason: e.reason };
    throw e;
  }
  throw new Error("expected a CallFileError");
}

describe("serializeCallFile", () => {
  it("writes every key in a stable order, always archiving, ending with a newline", () => {
    const text = serializeCallFile({
      channel: "Local/100@callees/n",
      callerId: { name: "Front Desk", number: "+4930123" },
      context: "spoolcast",
      extension: "s",
      priority: 1,
      maxRetries: 2,
      retryTime: 60,
      waitTime: 30,
      account: "campaign_7",
      codecs: ["ulaw", "alaw"],
      earlyMedia: false,
      variables: [
        ["SPOOLCAST_CALL", "ckabc123"],
        ["__SPOOLCAST_TOKEN", "tok-_x"],
        ["CDR(userfield)", "a;b"],
      ],
      alwaysDelete: true,
    });
    expect(text).toBe(
      [
        "Channel: Local/100@callees/n",
        'CallerID: "Front Desk" <+4930123>',
        "Context: spoolcast",
        "Extension: s",
        "Priority: 1",
        "MaxRetries: 2",
        "RetryTime: 60",
        "WaitTime: 30",
        "Account: campaign_7",
        "Codecs: ulaw,alaw",
        "early_media: no",
        "Set: SPOOLCAST_CALL=ckabc123",
        "Set: __SPOOLCAST_TOKEN=tok-_x",
        "Set: CDR(userfield)=a\\;b",
        "Archive: yes",
        "AlwaysDelete: yes",
        "",
      ].join("\n"),
    );
  });

  it("writes the direct ExternalIVR form and Archive: no only when asked", () => {
    expect(
      serializeCallFile({
        channel: "PJSIP/100@trunk",
        application: "ExternalIVR",
        data: "ivr://10.0.0.5:2949(ckabc,tok_1-x)",
        archive: false,
      }),
    ).toBe("Channel: PJSIP/100@trunk\nApplication: ExternalIVR\nData: ivr://10.0.0.5:2949(ckabc,tok_1-x)\nArchive: no\n");
  });

  it("writes caller ID with only a name or only a number", () => {
    expect(serializeCallFile({ ...base, callerId: { name: "PA" } })).toContain('CallerID: "PA"\n');
    expect(serializeCallFile({ ...base, callerId: { number: "911" } })).toContain("CallerID: <911>\n");
  });

  it.each<[string, CallFile, string, RegExp]>([
    [
      "an injected Application line in a caller ID name",
      { ...base, callerId: { name: "Bob\nApplication: System" } },
      "callerId.name",
      /line feed/,
    ],
    ["a CR", { ...base, callerId: { name: "Bob\rX" } }, "callerId.name", /carriage return/],
    ["a NUL", { ...base, variables: [["A", "x\0y"]] }, "variables[0].value", /NUL/],
    ["a tab", { ...base, variables: [["A", "x\ty"]] }, "variables[0].value", /U\+0009/],
    ["NEL", { ...base, callerId: { name: "a\u0085b" } }, "callerId.name", /U\+0085/],
    ["LINE SEPARATOR", { ...base, callerId: { name: "a\u2028b" } }, "callerId.name", /line separator U\+2028/],
    ["PARAGRAPH SEPARATOR", { ...base, variables: [["A", "\u2029"]] }, "variables[0].value", /U\+2029/],
    ["DEL", { ...base, account: "a\u007f" }, "account", /U\+007F/],
    ["an unpaired surrogate", { ...base, callerId: { name: "a\ud800" } }, "callerId.name", /surrogate/],
    [
      "a # comment after a space",
      { ...base, callerId: { name: "Hash #x", number: "12#34" } },
      "callerId.name",
      /starts a comment/,
    ],
    ["a # after a space in a Set value", { ...base, variables: [["A", "x #y"]] }, "variables[0].value", /comment/],
    ["a leading # in an extension", { channel: "Local/1@c", context: "c", extension: "#1" }, "extension", /comment/],
    ["Set smuggling through a name", { ...base, variables: [["A=1\nSet: B", "2"]] }, "variables[0].name", /line feed/],
    [
      "a function write outside the allow-list",
      { ...base, variables: [["FILE(/etc/passwd)", "x"]] },
      "variables[0].name",
      /limited to/,
    ],
    ["a variable name with spaces", { ...base, variables: [["A ", "x"]] }, "variables[0].name", /letters/],
    ["setting REASON", { ...base, variables: [["REASON", "5"]] }, "variables[0].name", /set by Asterisk/],
    ["a trailing space in a Set value", { ...base, variables: [["A", "x "]] }, "variables[0].value", /end with a space/],
    ["a leading space in a caller ID name", { ...base, callerId: { name: " Bob" } }, "callerId.name", /whitespace/],
    ["a quote in a caller ID name", { ...base, callerId: { name: 'Bob" <666>' } }, "callerId.name", /"/],
    ["punctuation in a caller ID number", { ...base, callerId: { number: "(555) 1234" } }, "callerId.number", /invalid/],
    ["a channel without a slash", { ...base, channel: "Local" }, "channel", /TECH\/resource/],
    ["a channel with a space", { ...base, channel: "PJSIP/1 2" }, "channel", /resource/],
    ["a channel with a substitution", { ...base, channel: "PJSIP/${EVIL}" }, "channel", /resource/],
    [
      "an application outside the allow-list",
      { ...base, application: "System" as "Playback", data: "rm -rf /" },
      "application",
      /one of/,
    ],
    ["the ExternalIVR program form", { ...base, application: "ExternalIVR", data: "/bin/sh(-c,id)" }, "data", /ivr:\/\//],
    ["a Playback path escape", { ...base, data: "../../etc/passwd" }, "data", /sound names/],
    ["a Playback absolute path", { ...base, data: "/etc/passwd" }, "data", /sound names/],
    ["missing data for Playback", { channel: "Local/1@c", application: "Playback" }, "data", /required/],
    ["data without an application", { channel: "Local/1@c", context: "c", extension: "s", data: "x" }, "data", /application/],
    ["both an application and an extension", { ...base, context: "c", extension: "s" }, "application", /not both/],
    ["neither application nor extension", { channel: "Local/1@c" }, "extension", /application or an extension/],
    ["early media with an application", { ...base, earlyMedia: true }, "earlyMedia", /context/],
    ["AlwaysDelete: no", { ...base, alwaysDelete: false }, "alwaysDelete", /forever/],
    ["a zero RetryTime", { ...base, retryTime: 0 }, "retryTime", /1 to 86400/],
    ["a fractional WaitTime", { ...base, waitTime: 1.5 }, "waitTime", /whole number/],
    ["a negative MaxRetries", { ...base, maxRetries: -1 }, "maxRetries", /0 to 100/],
    ["a NaN priority", { channel: "Local/1@c", extension: "s", priority: Number.NaN }, "priority", /whole number/],
    ["an empty caller ID", { ...base, callerId: {} }, "callerId", /name, a number/],
    ["an empty account", { ...base, account: "" }, "account", /empty/],
    ["a context with a space", { channel: "Local/1@c", context: "a b", extension: "s" }, "context", /invalid/],
    ["a bad codec", { ...base, codecs: ["ulaw", "g729;x"] }, "codecs[1]", /codec/],
    [
      "a very long Set value",
      { ...base, variables: [["A", "x".repeat(1016)]] },
      "variables[0]",
      /line is 1023 bytes; Asterisk skips lines over 1022/,
    ],
    [
      "a CDR userfield over 255 bytes",
      { ...base, variables: [["CDR(userfield)", "u".repeat(256)]] },
      "variables[0].value",
      /255/,
    ],
    ["a long multi-byte caller ID name", { ...base, callerId: { name: "é".repeat(40) } }, "callerId.name", /79 bytes/],
  ])("rejects %s", (_what, cf, field, reason) => {
    const err = rejection(cf);
    expect(err.field).toBe(field);
    expect(err.reason).toMatch(reason);
  });

  it("accepts a Set value exactly at the line limit and round-trips it", () => {
    const value = "x".repeat(1022 - "Set: A=".length);
    const text = serializeCallFile({ ...base, variables: [["A", value]] });
    expect(parseCallFile(text).file.variables).toEqual([["A", value]]);
  });

  it("escapes ; so it survives, and keeps # that is not after a space", () => {
    const cf: CallFile = {
      channel: "PJSIP/endpoint/sip:100@host;transport=udp",
      callerId: { name: "A;B#C", number: "*31#" },
      application: "Wait",
      data: "1",
      variables: [
        ["A", ";;x\\;"],
        ["B", " leading space is kept after ="],
        ["C", ""],
      ],
    };
    const parsed = parseCallFile(serializeCallFile(cf));
    expect(parsed.file).toEqual({ ...cf, archive: true });
    expect(parsed.issues).toEqual([]);
  });

  it("error messages name the field and the reason", () => {
    expect(() => serializeCallFile({ ...base, callerId: { name: "x\ny" } })).toThrow(
      "callerId.name: contains a line feed (LF) at position 1, which is not allowed in a call file",
    );
  });
});
