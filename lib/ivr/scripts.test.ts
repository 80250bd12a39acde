import { describe, expect, it } from "vitest";
import { buildCallScript, parseCallScript, ScriptError, serializeCallScript } from "./scripts";
import { SYSTEM_SOUNDS } from "./system-prompts";

describe("call scripts", () => {
  it("fills the defaults: confirm with 1, replay with 2 twice, re-prompt once", () => {
    expect(buildCallScript({ kind: "message" })).toEqual({
      kind: "message",
      repeat: 1,
      requireAck: true,
      maxReplays: 2,
      maxPrompts: 2,
      noInputTimeoutSec: 6,
      ackDigit: "1",
      replayDigit: "2",
      promptSound: SYSTEM_SOUNDS.promptAckReplay,
      promptNoReplaySound: SYSTEM_SOUNDS.promptAck,
      thanksSound: SYSTEM_SOUNDS.thanks,
      noInputSound: SYSTEM_SOUNDS.noInput,
    });
    expect(buildCallScript({ kind: "wakeup" })).toMatchObject({ confirmDigit: "1", snoozeDigit: "5", allowSnooze: true });
  });

  it("round-trips through Call.scriptJson", () => {
    const json = serializeCallScript({ kind: "message", intro: "spoolcast/audio/chime", maxReplays: 0, requireAck: false });
    expect(parseCallScript(json, { kind: "pa", requireAck: true })).toEqual(buildCallScript(JSON.parse(json)));
  });

  it("uses the kind's default for an empty script, honouring the call's requireAck", () => {
    expect(parseCallScript("{}", { kind: "campaign", requireAck: false })).toMatchObject({ kind: "message", requireAck: false });
    expect(parseCallScript("{}", { kind: "wakeup", requireAck: false })).toMatchObject({ kind: "wakeup" });
    expect(parseCallScript("{}", { kind: "click", requireAck: false })).toEqual({ kind: "click" });
  });

  it("names the bad field", () => {
    const cases: Array<[unknown, string]> = [
      [{ kind: "message", message: "../../etc/passwd" }, "scriptJson.message"],
      [{ kind: "message", maxReplays: 99 }, "scriptJson.maxReplays"],
      [{ kind: "message", ackDigit: "12" }, "scriptJson.ackDigit"],
      [{ kind: "message", replayDigit: "1" }, "scriptJson.replayDigit"],
      [{ kind: "wakeup", snoozeDigit: "1" }, "scriptJson.snoozeDigit"],
      [{ kind: "message", promptSound: "custom/x.wav" }, "scriptJson.promptSound"],
      [{ kind: "message", extra: 1 }, "scriptJson.extra"],
      [{ kind: "dance" }, "scriptJson.kind"],
    ];
    for (const [input, field] of cases) {
      const error = (() => {
        try {
          buildCallScript(input as never);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ScriptError);
      expect({ input, field: (error as Error).message.split(":")[0] }).toEqual({ input, field });
    }
    expect(() => parseCallScript("{nope", { kind: "pa", requireAck: true })).toThrow(/scriptJson\.\(json\): is not valid JSON/);
    expect(() => parseCallScript("[]", { kind: "pa", requireAck: true })).toThrow(/must be an object/);
  });
});
