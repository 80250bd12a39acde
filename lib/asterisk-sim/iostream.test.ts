import { describe, expect, it } from "vitest";
import { type GetsResult, IvrCommandStream } from "./iostream";

/** Calls gets() as eivr_comm does: once per iteration while poll() says readable. */
function drain(stream: IvrCommandStream): string[] {
  const lines: string[] = [];
  while (stream.readable && !stream.blocked) {
    const r = stream.gets();
    if (r.kind !== "line") break;
    lines.push(r.line);
  }
  return lines;
}

const line = (text: string): GetsResult => ({ kind: "line", line: text });

describe("ast_iostream_gets as eivr_comm calls it", () => {
  it("runs the first line of a multi-line read; the others wait for new bytes, then run before them", () => {
    const s = new IvrCommandStream();
    s.receive("A,one\nA,two\nL,three\n");
    expect(drain(s)).toEqual(["A,one\n"]);
    expect(s.readable).toBe(false);
    expect(s.buffered).toBe("A,two\nL,three\n");
    s.receive("H,bye\n");
    expect(drain(s)).toEqual(["A,two\n", "L,three\n", "H,bye\n"]);
    expect(s.buffered).toBe("");
  });

  it("strands the later lines of the new bytes too: only their first line runs", () => {
    const s = new IvrCommandStream();
    s.receive("P,1\nP,2\n");
    expect(drain(s)).toEqual(["P,1\n"]);
    s.receive("L,kick\nH,bye\n");
    expect(drain(s)).toEqual(["P,2\n", "L,kick\n"]);
    expect(s.buffered).toBe("H,bye\n");
  });

  it("cuts a line over 1,023 bytes into 1,023-byte pieces; an E in the same read waits for more bytes", () => {
    const s = new IvrCommandStream();
    const long = `L,${"x".repeat(1500)}\n`;
    s.receive(`${long}E,done\n`);
    expect(drain(s)).toEqual([long.slice(0, 1023)]);
    expect(s.buffered).toBe(`${long.slice(1023)}E,done\n`);
    s.receive("L,kick\n");
    expect(drain(s)).toEqual([long.slice(1023), "E,done\n", "L,kick\n"]);
  });

  it("a long line alone leaves its tail buffered; a later E runs right after that tail", () => {
    const s = new IvrCommandStream();
    const long = `L,${"x".repeat(1500)}\n`;
    s.receive(long);
    expect(drain(s)).toEqual([long.slice(0, 1023)]);
    s.receive("E,done\n");
    expect(drain(s)).toEqual([long.slice(1023), "E,done\n"]);
  });

  it("reads at most 2,048 bytes per read(): a write longer than that keeps the socket readable", () => {
    const s = new IvrCommandStream();
    const long = `L,${"y".repeat(3000)}\n`;
    s.receive(`${long}H,bye\n`);
    // read 2,048 → piece 1; socket still readable → piece 2 from the buffer; then the 2 bytes
    // left are copied and the next read() takes the remaining 961 bytes, H included.
    expect(drain(s)).toEqual([long.slice(0, 1023), long.slice(1023, 2046), long.slice(2046)]);
    expect(s.buffered).toBe("H,bye\n");
  });

  it("a line of exactly 1,023 bytes with its newline is one line; 1,024 leaves the newline as the next", () => {
    const s = new IvrCommandStream();
    const fits = `L,${"a".repeat(1020)}\n`;
    s.receive(fits);
    expect(s.gets()).toEqual(line(fits));
    const over = `L,${"b".repeat(1021)}\n`;
    s.receive(over);
    expect(s.gets()).toEqual(line(over.slice(0, 1023)));
    expect(s.readable).toBe(false);
    s.receive("P,x\n");
    expect(drain(s)).toEqual(["\n", "P,x\n"]);
  });

  it("blocks in read() on a partial line and resumes it when bytes come; what follows its newline waits", () => {
    const s = new IvrCommandStream();
    s.receive("A,custom/pro");
    expect(s.gets()).toEqual({ kind: "blocked" });
    expect(s.blocked).toBe(true);
    expect(s.readable).toBe(false);
    s.receive("mpt1\nP,x\n");
    expect(s.gets()).toEqual(line("A,custom/prompt1\n"));
    expect(s.blocked).toBe(false);
    expect(s.readable).toBe(false);
    expect(s.buffered).toBe("P,x\n");
  });

  it("counts a blocked partial line towards the 1,023 bytes", () => {
    const s = new IvrCommandStream();
    s.receive(`L,${"z".repeat(998)}`);
    expect(s.gets()).toEqual({ kind: "blocked" });
    s.receive(`${"z".repeat(100)}\n`);
    const r = s.gets();
    expect(r).toEqual(line(`L,${"z".repeat(1021)}`));
    expect(s.buffered).toBe(`${"z".repeat(77)}\n`);
  });

  it("at EOF runs every buffered line, then the unterminated rest, then reports 0", () => {
    const s = new IvrCommandStream();
    s.receive("P,1\nP,2\nH,par");
    expect(drain(s)).toEqual(["P,1\n"]);
    s.receiveEof();
    expect(s.readable).toBe(true);
    expect(s.gets()).toEqual(line("P,2\n"));
    expect(s.gets()).toEqual(line("H,par"));
    expect(s.gets()).toEqual({ kind: "eof" });
  });

  it("EOF ends a blocked gets() with what it accumulated", () => {
    const s = new IvrCommandStream();
    s.receive("E,bye");
    expect(s.gets()).toEqual({ kind: "blocked" });
    s.receiveEof();
    expect(s.gets()).toEqual(line("E,bye"));
    expect(s.gets()).toEqual({ kind: "eof" });
  });
});
