/**
 * The read side of ExternalIVR's command socket, byte for byte as Asterisk 22 reads it:
 * `ast_iostream_gets` (main/iostream.c) on a blocking TCP socket, called by `eivr_comm`
 * (apps/app_externalivr.c) once per loop iteration in which poll() reported the socket
 * readable. Two buffers matter, and the difference between them is the whole story:
 *
 * - the kernel's socket buffer: bytes the IVR server sent that Asterisk has not read(). poll()
 *   sees only these (and EOF), so the loop calls gets() only while some are waiting;
 * - the iostream's own 2,048-byte `rbuf`: bytes already read() but not yet returned as a
 *   line. poll() cannot see them. gets() serves a line from here without reading the socket.
 *
 * Consequences (each pinned by iostream.test.ts and tests/asterisk-sim-ivr-buffering.test.ts):
 * - one gets() per readable iteration returns one line (at most 1,023 bytes: the caller's
 *   buffer is `char input[1024]`); a longer line comes out in 1,023-byte pieces, the rest of
 *   it being the next "line";
 * - when a read() took several lines, only the first runs; the others wait in `rbuf` until
 *   new bytes make the socket readable again. Then every buffered line runs first (the socket
 *   stays readable because nothing new is read while `rbuf` holds a full line), and the first
 *   line of the new bytes last: the new bytes are read only when `rbuf` has no full line left;
 * - a partial line (no newline, under 1,023 bytes) makes gets() call read() again, which on
 *   the blocking socket (tcptls clears O_NONBLOCK after the connect) waits for more bytes:
 *   the channel thread is stuck there until they come (see external-ivr.ts for what stalls);
 * - read() returning 0 (the server closed) ends gets() with what it accumulated; with nothing
 *   accumulated gets() returns 0, which eivr_comm reports as "Child process went away".
 */

/** `stream->rbuf` is 2,048 bytes: one read() takes at most that much. */
export const IOSTREAM_RBUF_BYTES = 2048;
/** eivr_comm's `char input[1024]`: a line is at most 1,023 bytes plus the terminating NUL. */
export const EIVR_INPUT_BYTES = 1024;

export type GetsResult =
  /** A line (its newline included when one was found within the size limit). */
  | { kind: "line"; line: string }
  /** read() returned 0 with nothing accumulated: gets() returns 0. */
  | { kind: "eof" }
  /** read() would block: the caller's thread is stuck inside gets() until bytes arrive. */
  | { kind: "blocked" };

export class IvrCommandStream {
  /** Bytes received on the socket, not yet read() (what poll() sees). */
  private kernel = "";
  /** `stream->rbufhead` .. `+ rbuflen`: read but not yet returned. */
  private rbuf = "";
  private closed = false;
  /** The bytes a blocked gets() has already copied into the caller's buffer (`accum_size`). */
  private accum: string | null = null;

  /** The server's bytes reach the socket buffer. */
  receive(bytes: string): void {
    this.kernel += bytes;
  }

  /** The server closed its side (FIN): read() returns 0 once the socket buffer is empty. */
  receiveEof(): void {
    this.closed = true;
  }

  /** What poll() reports for the socket: unread bytes, or EOF (a closed socket polls readable). */
  get readable(): boolean {
    return this.kernel.length > 0 || this.closed;
  }

  /** A gets() is stuck in read() waiting for bytes. */
  get blocked(): boolean {
    return this.accum !== null;
  }

  /** Bytes read() but not yet returned by gets() (invisible to poll()). */
  get buffered(): string {
    return this.rbuf;
  }

  /**
   * `ast_iostream_gets(stream, input, 1024)`. Call it when `readable`, or again once bytes
   * arrive after it returned `blocked` (it resumes where read() blocked, as the real call would).
   */
  gets(size = EIVR_INPUT_BYTES): GetsResult {
    let accum = this.accum ?? "";
    this.accum = null;
    for (;;) {
      const remaining = size - accum.length;
      const newline = this.rbuf.indexOf("\n");
      let len: number;
      if (newline !== -1) {
        // Search for newline; a line longer than the buffer is returned in pieces.
        len = Math.min(newline + 1, remaining - 1);
      } else if (this.rbuf.length >= remaining - 1) {
        // Enough buffered line data to fill the request buffer.
        len = remaining - 1;
      } else {
        // Put leftover buffered line data into the request buffer, then read() more.
        accum += this.rbuf;
        this.rbuf = "";
        if (this.kernel.length === 0 && !this.closed) {
          this.accum = accum;
          return { kind: "blocked" };
        }
        if (this.kernel.length > 0) {
          this.rbuf = this.kernel.slice(0, IOSTREAM_RBUF_BYTES);
          this.kernel = this.kernel.slice(IOSTREAM_RBUF_BYTES);
          continue;
        }
        // read() returned 0: "Nothing new was read. Return whatever we have accumulated."
        len = 0;
      }
      const line = accum + this.rbuf.slice(0, len);
      this.rbuf = this.rbuf.slice(len);
      return line.length > 0 ? { kind: "line", line } : { kind: "eof" };
    }
  }
}
