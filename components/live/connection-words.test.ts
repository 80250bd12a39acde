import { describe, expect, it } from "vitest";
import { connectionLostMessage } from "./connection-words";

describe("connectionLostMessage", () => {
  const t0 = Date.UTC(2026, 11, 4, 12, 0, 0);

  it("counts whole seconds since the last update", () => {
    expect(connectionLostMessage(t0, t0 + 12_900)).toBe("Connection lost — last update 12 s ago");
  });

  it("switches to minutes past two minutes and to hours past two hours", () => {
    expect(connectionLostMessage(t0, t0 + 125_000)).toBe("Connection lost — last update 2 min ago");
    expect(connectionLostMessage(t0, t0 + 3 * 3600_000)).toBe("Connection lost — last update 3 h ago");
  });

  it("never shows a negative age when the clock steps back", () => {
    expect(connectionLostMessage(t0, t0 - 5000)).toBe("Connection lost — last update 0 s ago");
  });

  it("does not invent an age when nothing was ever received", () => {
    expect(connectionLostMessage(0, t0)).toBe("Connection lost — no update received yet");
  });
});
