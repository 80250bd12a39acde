import { describe, expect, it } from "vitest";
import {
  checkIvrArgsFit,
  DialplanConfigError,
  longestContactLegReportLength,
  longestIvrArgsLength,
  renderDialplanSnippet,
  renderSelfTestContext,
} from "./dialplan";
import { signCallToken } from "./token";
import { defaultDialplan } from "@/lib/asterisk-sim/dialplan";

describe("dialplan snippet", () => {
  it("renders the context the admin pastes, with ${REASON} reported from the failed extension", () => {
    expect(renderDialplanSnippet({ name: "Main PBX", ivrContext: "spoolcast", ivrPublicAddress: "192.0.2.10:2949" })).toBe(
      [
        `; Spoolcast ExternalIVR context for host "Main PBX".`,
        `; Paste into /etc/asterisk/extensions.conf, then run: asterisk -rx "dialplan reload"`,
        `; Call files use Context: spoolcast and Extension: s; Spoolcast listens on 192.0.2.10:2949.`,
        `[spoolcast]`,
        `; Answered: Spoolcast plays the message and records the key press.`,
        "exten => s,1,NoOp(Spoolcast call ${SPOOLCAST_CALL})",
        " same => n,ExternalIVR(ivr://192.0.2.10:2949(${SPOOLCAST_CALL},${SPOOLCAST_TOKEN}))",
        " same => n,Hangup()",
        "; Every failed attempt reports Asterisk's ${REASON} (3 no answer, 5 busy, 8 congestion, 0 other).",
        `; Its CDR row (one per failed attempt with cdr.conf unanswered = yes) gets ";failed-report" in the userfield.`,
        "exten => failed,1,Set(CDR(userfield)=${CDR(userfield)}\\;failed-report)",
        " same => n,ExternalIVR(ivr://192.0.2.10:2949(failed,${SPOOLCAST_CALL},${SPOOLCAST_TOKEN},${REASON}),n)",
        " same => n,Hangup()",
        "exten => h,1,NoOp(Spoolcast call ${SPOOLCAST_CALL} ended)",
        `; Self-test ("Test the PBX"): call files with Channel Local/s@spoolcast-selftest are answered here by Asterisk itself,`,
        "; and Spoolcast plays its test sounds to the other side. Local/busy@spoolcast-selftest fails on purpose (busy).",
        "[spoolcast-selftest]",
        "exten => s,1,Answer()",
        " same => n,Wait(60)",
        " same => n,Hangup()",
        "exten => busy,1,Busy(10)",
        "",
      ].join("\n"),
    );
  });

  it("gives a direct-mode host the self-test context alone, and refuses an IVR context too long for it", () => {
    const alone = renderSelfTestContext("spoolcast");
    const snippet = renderDialplanSnippet({ ivrContext: "spoolcast", ivrPublicAddress: "192.0.2.10:2949" });
    expect(snippet.endsWith(alone)).toBe(true);
    expect(alone.startsWith("; Self-test")).toBe(true);
    expect(() => renderSelfTestContext("x".repeat(71))).toThrow(/at most 70 characters/);
    expect(() => renderSelfTestContext("a]b")).toThrow(DialplanConfigError);
  });

  it("adds the click-to-call context: the desk answer opens a session, Dial() through the outbound context, h reports DIALSTATUS", () => {
    const snippet = renderDialplanSnippet({
      ivrContext: "spoolcast",
      ivrPublicAddress: "192.0.2.10:2949",
      outboundContext: "from-internal",
    });
    const click = snippet.slice(snippet.indexOf("[spoolcast-click]"), snippet.indexOf("; Self-test"));
    expect(click.split("\n").filter((l) => !l.startsWith(";"))).toEqual([
      "[spoolcast-click]",
      "exten => _+X.,1,ExternalIVR(ivr://192.0.2.10:2949(${SPOOLCAST_CALL},${SPOOLCAST_TOKEN}),n)",
      " same => n,Dial(Local/${EXTEN}@from-internal)",
      " same => n,Hangup()",
      "exten => failed,1,Set(CDR(userfield)=${CDR(userfield)}\\;failed-report)",
      " same => n,ExternalIVR(ivr://192.0.2.10:2949(failed,${SPOOLCAST_CALL},${SPOOLCAST_TOKEN},${REASON}),n)",
      " same => n,Hangup()",
      "exten => h,1,ExternalIVR(ivr://192.0.2.10:2949(dial,${SPOOLCAST_CALL},${SPOOLCAST_TOKEN},${DIALSTATUS},${ANSWEREDTIME}),d)",
      "",
    ]);
    // The message context is unchanged: its h extension does not report anything.
    const plain = renderDialplanSnippet({ ivrContext: "spoolcast", ivrPublicAddress: "192.0.2.10:2949" });
    expect(snippet.startsWith(plain.slice(0, plain.indexOf("; Self-test")))).toBe(true);
    expect(snippet).not.toContain("Warning");
  });

  it("warns in the snippet when the contact report would be cut, and refuses a click context Asterisk cannot hold", () => {
    const callId = "c".repeat(25);
    const token = signCallToken("s".repeat(40), callId);
    const address = "pbx-gateway.example:2949";
    expect(["ivr://" + address, "dial", callId, token, "CHANUNAVAIL", "86400"].join(",").length).toBe(
      longestContactLegReportLength(address),
    );
    expect(longestContactLegReportLength(address)).toBeGreaterThan(99);
    expect(renderDialplanSnippet({ ivrContext: "spoolcast", ivrPublicAddress: address, outboundContext: "out" })).toMatch(
      /; Warning: pbx-gateway.example:2949 is \d+ characters too long/,
    );
    expect(() =>
      renderDialplanSnippet({ ivrContext: "x".repeat(74), ivrPublicAddress: "10.0.0.1:2949", outboundContext: "out" }),
    ).toThrow(/^ivrContext: .*at most 73 characters/);
    expect(() =>
      renderDialplanSnippet({ ivrContext: "spoolcast", ivrPublicAddress: "10.0.0.1:2949", outboundContext: "out going" }),
    ).toThrow(/^outboundContext: /);
  });

  it("rejects a context or address that would break the dialplan", () => {
    expect(() => renderDialplanSnippet({ ivrContext: "spool cast]", ivrPublicAddress: "10.0.0.1:2949" })).toThrow(
      /^ivrContext: /,
    );
    expect(() => renderDialplanSnippet({ ivrContext: "spoolcast", ivrPublicAddress: "10.0.0.1" })).toThrow(
      /^ivrPublicAddress: .*host:port/,
    );
    expect(() => renderDialplanSnippet({ ivrContext: "spoolcast", ivrPublicAddress: "10.0.0.1:0" })).toThrow(DialplanConfigError);
  });

  it("accepts an address exactly when the longest P reply Asterisk builds stays within 99 characters", () => {
    const callId = "c".repeat(25);
    const token = signCallToken("s".repeat(40), callId);
    const fits = "a".repeat(30) + ".x:2949"; // 37 characters
    // What Asterisk would put after P,<ts>, for a failed attempt with this address.
    const args = ["ivr://" + fits, "failed", callId, token, "8"].join(",");
    expect(args.length).toBe(longestIvrArgsLength(fits));
    const limit = 99 - (longestIvrArgsLength(fits) - fits.length);
    const atLimit = "h".repeat(limit - 5) + ":2949";
    expect(() => checkIvrArgsFit(atLimit)).not.toThrow();
    expect(longestIvrArgsLength(atLimit)).toBe(99);
    const over = "h".repeat(limit - 4) + ":2949";
    expect(() => checkIvrArgsFit(over)).toThrow(/1 characters too long/);
    expect(() => checkIvrArgsFit("[2001:db8::10]:2949")).not.toThrow();
  });
});

/** The lines Asterisk acts on: no blanks, no comments. */
const rules = (text: string) => text.split("\n").filter((l) => l !== "" && !l.startsWith(";"));

describe("the simulator's default dialplan", () => {
  it("is the snippet Spoolcast renders for a default host, plus a trunk-like outbound context", () => {
    const address = "127.0.0.1:2949";
    const snippet = renderDialplanSnippet({
      ivrContext: "spoolcast",
      ivrPublicAddress: address,
      outboundContext: "from-internal",
    });
    expect(rules(defaultDialplan(address))).toEqual([
      ...rules(snippet),
      "[from-internal]",
      "exten => _+X.,1,Dial(PJSIP/${EXTEN})",
      " same => n,Hangup()",
    ]);
  });
});
