import { describe, expect, it } from "vitest";
import {
  DEFAULT_EXTENSION_RULE,
  describeDestination,
  isCanonicalDestination,
  kindOfCanonical,
  parseDestination,
  type DestinationRules,
} from "@/lib/destinations/destination";

const GB: DestinationRules = { country: "GB", extensions: DEFAULT_EXTENSION_RULE };
const US: DestinationRules = { country: "US", extensions: DEFAULT_EXTENSION_RULE };
const FEATURES: DestinationRules = { country: "GB", extensions: { minDigits: 2, maxDigits: 4, allowFeatureCodes: true } };

function errorOf(input: string, rules: DestinationRules = GB): string {
  const r = parseDestination(input, rules);
  if (r.ok) throw new Error(`"${input}" was accepted as ${r.kind} ${r.value}`);
  return r.error;
}

describe("parseDestination: the three kinds", () => {
  it("reads digits within the host's range as an internal extension", () => {
    expect(parseDestination("101", GB)).toEqual({ ok: true, kind: "extension", value: "101" });
    expect(parseDestination("123456", GB)).toEqual({ ok: true, kind: "extension", value: "123456" });
    expect(parseDestination(" 2001 ", GB)).toEqual({ ok: true, kind: "extension", value: "2001" });
    expect(parseDestination("42", FEATURES)).toEqual({ ok: true, kind: "extension", value: "42" });
  });

  it("reads TECH/resource as an endpoint, with the technology in Asterisk's spelling", () => {
    for (const value of ["PJSIP/101", "SIP/101", "IAX2/office-1", "DAHDI/1", "Local/101@from-internal", "Local/101@ctx/n"]) {
      expect(parseDestination(value, GB)).toEqual({ ok: true, kind: "endpoint", value });
    }
    // Asterisk finds a technology without regard to case; one endpoint is stored one way.
    expect(parseDestination("pjsip/101", GB)).toEqual({ ok: true, kind: "endpoint", value: "PJSIP/101" });
    expect(parseDestination("local/101@Rooms", GB)).toEqual({ ok: true, kind: "endpoint", value: "Local/101@Rooms" });
  });

  it("reads everything else that looks like a number as an external number in E.164", () => {
    expect(parseDestination("+44 20 7946 0000", US)).toEqual({ ok: true, kind: "external", value: "+442079460000" });
    expect(parseDestination("020 7946 0000", GB)).toEqual({ ok: true, kind: "external", value: "+442079460000" });
    // Digits beyond the longest extension are a national number.
    expect(parseDestination("2125550100", US)).toEqual({ ok: true, kind: "external", value: "+12125550100" });
    expect(parseDestination("(212) 555-0100", US)).toEqual({ ok: true, kind: "external", value: "+12125550100" });
  });

  it("lets the host's range decide between an extension and a number", () => {
    const long: DestinationRules = { country: "US", extensions: { minDigits: 3, maxDigits: 10, allowFeatureCodes: false } };
    expect(parseDestination("2125550100", long)).toEqual({ ok: true, kind: "extension", value: "2125550100" });
  });

  it("accepts feature codes only where the host allows them", () => {
    expect(parseDestination("*43", FEATURES)).toEqual({ ok: true, kind: "extension", value: "*43" });
    expect(parseDestination("#12", FEATURES)).toEqual({ ok: true, kind: "extension", value: "#12" });
    expect(errorOf("*43")).toMatch(/Feature codes with \* or # are not allowed/);
    expect(errorOf("**", FEATURES)).toMatch(/needs digits/);
    expect(errorOf("*43210", FEATURES)).toMatch(/too long/);
  });
});

describe("parseDestination: refusals", () => {
  it("refuses extensions outside the range and long digits that are no number", () => {
    expect(errorOf("12")).toMatch(/Extensions have 3–6 digits; "12" is too short/);
    expect(errorOf("1234567")).toMatch(/neither an extension \(3–6 digits\) nor a valid phone number for GB/);
    expect(errorOf("")).toMatch(/Enter an extension, an endpoint or a phone number/);
    expect(errorOf("   ")).toMatch(/Enter an extension/);
  });

  it("refuses unknown technologies and anything the call-file Channel grammar refuses", () => {
    expect(errorOf("Console/dsp")).toMatch(/technology must be one of PJSIP, SIP, IAX2, DAHDI, Local/);
    expect(errorOf("PJSIP/")).toMatch(/Not an endpoint Asterisk can dial/);
    expect(errorOf("PJSIP/101&PJSIP/102")).toMatch(/Not an endpoint Asterisk can dial/);
    expect(errorOf("PJSIP/101,30")).toMatch(/Not an endpoint Asterisk can dial/);
    expect(errorOf("PJSIP/10 01")).toMatch(/Not an endpoint Asterisk can dial/);
    expect(errorOf("PJSIP/101$x")).toMatch(/Not an endpoint Asterisk can dial: resource must be/);
    expect(errorOf(`PJSIP/${"a".repeat(200)}`)).toMatch(/Too long/);
  });

  it("refuses hostile strings instead of cleaning them", () => {
    const hostile = [
      "101\n",
      "101\r\nApplication: System",
      "PJSIP/101\nApplication: System",
      "PJSIP/101\u0000",
      "+44 20 7946 0000\t",
      "PJSIP/${SHELL}",
      "PJSIP/101 #comment",
      'PJSIP/"101"',
      "101; rm -rf /",
      "101\u2028",
      "<script>",
      "PJSIP/101|Local/1",
      "Local/1@ctx`id`",
    ];
    const accepted = hostile.filter((h) => parseDestination(h, FEATURES).ok);
    expect(accepted).toEqual([]);
    expect(errorOf("101\n")).toMatch(/control characters/);
    expect(errorOf("PJSIP/101\nApplication: System")).toMatch(/control characters/);
    expect(errorOf("call me")).toMatch(/Enter an extension \(3–6 digits, e\.g\. 101\), an endpoint such as PJSIP\/101/);
  });
});

describe("canonical forms", () => {
  it("say their own kind", () => {
    expect(kindOfCanonical("101")).toBe("extension");
    expect(kindOfCanonical("*43")).toBe("extension");
    expect(kindOfCanonical("PJSIP/101")).toBe("endpoint");
    expect(kindOfCanonical("+442079460000")).toBe("external");
  });

  it("are recognised whatever the host's range, and anything else is not", () => {
    expect(["101", "1", "*43", "PJSIP/101", "Local/1@ctx", "+442079460000"].filter((v) => !isCanonicalDestination(v))).toEqual(
      [],
    );
    expect(
      ["", "none:abc", "+0123", "pjsip/101", "Console/dsp", "12 34", "PJSIP/1 0", "**"].filter(isCanonicalDestination),
    ).toEqual([]);
  });

  it("read in plain words", () => {
    expect(describeDestination("101")).toBe("Extension 101");
    expect(describeDestination("PJSIP/101")).toBe("Phone PJSIP/101");
    expect(describeDestination("+442079460000")).toBe("+44 20 7946 0000");
    expect(describeDestination("+442079460000", "external")).toBe("+44 20 7946 0000");
  });
});
