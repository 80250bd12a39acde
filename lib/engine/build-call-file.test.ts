import { describe, expect, it } from "vitest";
import { CallFileError } from "@/lib/callfile/types";
import { signCallToken } from "@/lib/ivr/token";
import {
  buildCallFile,
  channelFor,
  parseCallerId,
  parsePaVariables,
  type CallForFile,
  type HostForFile,
} from "@/lib/engine/build-call-file";

const SECRET = "x".repeat(40);
const host: HostForFile = {
  channelTemplate: "PJSIP/{number}@trunk",
  outboundContext: "from-internal",
  ivrMode: "direct",
  ivrContext: "spoolcast",
  ivrPublicAddress: null,
  paCallerId: '"PA" <911>',
  defaultCallerId: '"Spoolcast" <1000>',
  paVariables: "ALERT_INFO=<uri>;info=alert-autoanswer\nPAGE=1",
};
const call: CallForFile = {
  id: "cabc123",
  kind: "campaign",
  destination: "+15551234567",
  channel: "PJSIP/+15551234567@trunk",
  callerId: null,
  maxRetries: 2,
  retryTime: 60,
  waitTime: 30,
};

describe("buildCallFile", () => {
  it("starts the IVR directly with the call id and token in the ExternalIVR arguments", () => {
    const cf = buildCallFile({ call, host, secret: SECRET, ivrPublicAddress: "10.0.0.5:2949" });
    const token = signCallToken(SECRET, call.id);
    expect(cf).toEqual({
      channel: "PJSIP/+15551234567@trunk",
      callerId: { name: "Spoolcast", number: "1000" },
      maxRetries: 2,
      retryTime: 60,
      waitTime: 30,
      archive: true,
      variables: [
        ["SPOOLCAST_CALL", "cabc123"],
        ["SPOOLCAST_TOKEN", token],
        ["CDR(userfield)", "spoolcast:cabc123"],
      ],
      application: "ExternalIVR",
      data: `ivr://10.0.0.5:2949(cabc123,${token})`,
    });
    expect(cf.alwaysDelete).toBeUndefined();
  });

  it("uses the host's own IVR address and the dialplan snippet when configured", () => {
    const cf = buildCallFile({ call, host: { ...host, ivrMode: "dialplan" }, secret: SECRET, ivrPublicAddress: "x:1" });
    expect(cf.context).toBe("spoolcast");
    expect(cf.extension).toBe("s");
    expect(cf.priority).toBe(1);
    expect(cf.application).toBeUndefined();
    const direct = buildCallFile({
      call,
      host: { ...host, ivrPublicAddress: "pbx-ivr.example:3000" },
      secret: SECRET,
      ivrPublicAddress: "x:1",
    });
    expect(direct.data).toMatch(/^ivr:\/\/pbx-ivr\.example:3000\(cabc123,/);
  });

  it("gives a PA call the PA caller id and the host's PA variables before the CDR userfield", () => {
    const cf = buildCallFile({ call: { ...call, kind: "pa" }, host, secret: SECRET, ivrPublicAddress: "127.0.0.1:2949" });
    expect(cf.callerId).toEqual({ name: "PA", number: "911" });
    expect(cf.variables!.map(([n]) => n)).toEqual(["SPOOLCAST_CALL", "SPOOLCAST_TOKEN", "ALERT_INFO", "PAGE", "CDR(userfield)"]);
    expect(cf.variables![2]).toEqual(["ALERT_INFO", "<uri>;info=alert-autoanswer"]);
  });

  it("rings the desk phone first for click-to-call, then dials the contact in the outbound context", () => {
    const cf = buildCallFile({
      call: { ...call, kind: "click", channel: "PJSIP/1001", destination: "+15557654321", callerId: '"Alice" <1001>' },
      host,
      secret: SECRET,
      ivrPublicAddress: "127.0.0.1:2949",
    });
    expect(cf).toMatchObject({
      channel: "PJSIP/1001",
      context: "from-internal",
      extension: "+15557654321",
      priority: 1,
      callerId: { name: "Alice", number: "1001" },
    });
    expect(cf.application).toBeUndefined();
  });

  it("sends click-to-call through the snippet's click context in dialplan mode, so the contact leg is reported", () => {
    const cf = buildCallFile({
      call: { ...call, kind: "click", channel: "PJSIP/1001", destination: "+15557654321" },
      host: { ...host, ivrMode: "dialplan", ivrContext: "spoolcast" },
      secret: SECRET,
      ivrPublicAddress: "127.0.0.1:2949",
    });
    expect(cf).toMatchObject({ channel: "PJSIP/1001", context: "spoolcast-click", extension: "+15557654321", priority: 1 });
    expect(cf.variables!.map(([n]) => n)).toContain("SPOOLCAST_TOKEN");
  });

  it("refuses an IVR address that would not fit Asterisk's 99-character P reply", () => {
    expect(() =>
      buildCallFile({
        call,
        host: { ...host, ivrPublicAddress: "a".repeat(60) + ".example:2949" },
        secret: SECRET,
        ivrPublicAddress: "x:1",
      }),
    ).toThrow(CallFileError);
  });
});

describe("channelFor / parseCallerId / parsePaVariables", () => {
  it("puts numbers into the template and uses endpoints as they are", () => {
    const templates = { channelTemplate: "PJSIP/{number}@trunk", internalTemplate: "PJSIP/{ext}" };
    expect(channelFor(templates, "+15551234567")).toBe("PJSIP/+15551234567@trunk");
    expect(channelFor(templates, "PJSIP/1001")).toBe("PJSIP/1001");
    expect(channelFor(templates, "Local/101@rooms")).toBe("Local/101@rooms");
    expect(channelFor(templates, "101")).toBe("PJSIP/101");
    expect(channelFor({ ...templates, internalTemplate: "Local/{ext}@from-internal" }, "*43")).toBe("Local/*43@from-internal");
    expect(() => channelFor({ ...templates, channelTemplate: "PJSIP/trunk" }, "+1555")).toThrow(/channelTemplate/);
    expect(() => channelFor({ ...templates, internalTemplate: "PJSIP/101" }, "101")).toThrow(/internalTemplate/);
  });

  it("splits caller ids the way Asterisk reads them", () => {
    expect(parseCallerId('"Front Desk" <200>')).toEqual({ name: "Front Desk", number: "200" });
    expect(parseCallerId("Front Desk <200>")).toEqual({ name: "Front Desk", number: "200" });
    expect(parseCallerId("+15551234567")).toEqual({ number: "+15551234567" });
    expect(parseCallerId("Reception")).toEqual({ name: "Reception" });
  });

  it("rejects a PA variable line without a name", () => {
    expect(parsePaVariables("A=1\n\nB=x=y\r\n")).toEqual([
      ["A", "1"],
      ["B", "x=y"],
    ]);
    expect(() => parsePaVariables("A=1\nnonsense")).toThrow(/line 2/);
    expect(() => parsePaVariables("=v")).toThrow(/paVariables/);
  });
});
