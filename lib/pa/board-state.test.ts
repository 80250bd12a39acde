import { describe, expect, it } from "vitest";
import { ACTIVE_STATES, FINAL_STATES } from "@/lib/engine/call-state";
import { BOARD_STATES, boardStateFor } from "@/lib/pa/get-pa-board";

describe("boardStateFor", () => {
  it("maps every engine state to a board state", () => {
    const expected: Record<string, string> = {
      queued: "queued",
      spooled: "ringing",
      dialling: "ringing",
      "retry-wait": "ringing",
      answered: "answered",
      acknowledged: "acknowledged",
      completed: "answered",
      // Without Asterisk's playback confirmation (heardMs) an answered call is not "heard".
      "not-acknowledged": "answered",
      "not-played": "not-played",
      "playback-unconfirmed": "playback-unconfirmed",
      "no-answer": "no-answer",
      busy: "busy",
      congestion: "failed",
      failed: "failed",
      expired: "failed",
      lost: "lost",
      missed: "missed",
      cancelled: "cancelled",
    };
    for (const state of [...ACTIVE_STATES, ...FINAL_STATES]) {
      const board = boardStateFor({ state, heardMs: null });
      expect(BOARD_STATES).toContain(board);
      expect([state, board]).toEqual([state, expected[state]]);
    }
  });

  it("says heard once the IVR reports the message played", () => {
    expect(boardStateFor({ state: "answered", heardMs: 1200 })).toBe("heard");
    expect(boardStateFor({ state: "completed", heardMs: 5000 })).toBe("heard");
    expect(boardStateFor({ state: "not-acknowledged", heardMs: 1800 })).toBe("heard");
  });

  it("never says heard for a message that did not play, whatever heard time is stored", () => {
    expect(boardStateFor({ state: "not-played", heardMs: null })).toBe("not-played");
    expect(boardStateFor({ state: "playback-unconfirmed", heardMs: 3200 })).toBe("playback-unconfirmed");
  });
});
