/**
 * Local channels into the simulator's own dialplan, as main/core_local.c runs them
 * (docs/asterisk.md#local-channels): `Local/exten@context[/options]` is a pair of channels. The
 * call file's side (`;1`) rings while the other side (`;2`) runs the dialplan at exten@context,
 * priority 1. What `;2` does is what the originate sees: `Answer()` answers `;1`, `Busy()` and
 * `Congestion()` fail it with REASON 5 and 8, a hang-up before answering fails it with REASON 0,
 * and WaitTime passing fails it with REASON 3. Once up, either side hanging up hangs up the other.
 *
 * `local_call` refuses an extension that does not exist at priority 1 ("No such
 * extension/context … while calling Local channel"), and the originate fails with REASON 0.
 */
import type { SimChannel } from "./channel";
import type { SimClock } from "./clock";
import { type Dialplan, existsExtension } from "./dialplan";

export type LocalTarget = { exten: string; context: string };

/** `exten@context` of a Local channel's resource; options after `/` are dropped. Null without `@`. */
export function parseLocalTarget(resource: string): LocalTarget | null {
  const slash = resource.indexOf("/");
  const dest = slash === -1 ? resource : resource.slice(0, slash);
  const at = dest.indexOf("@");
  if (at <= 0 || at === dest.length - 1) return null;
  return { exten: dest.slice(0, at), context: dest.slice(at + 1) };
}

export type LocalDialEnv = {
  clock: SimClock;
  dialplan: Dialplan;
  log: (level: "notice" | "warning" | "verbose", message: string) => void;
  /** Runs the dialplan on the `;2` side (pbx.ts runPbx), from target at priority 1. */
  runDialplan(chan: SimChannel, target: LocalTarget): Promise<void>;
};

/**
 * Rings `outbound` (the `;1` side) through `inbound` (the `;2` side, a fresh channel). Resolves
 * null once `;2` answered (then `;1` is up), else the REASON. Inherits `;1`'s variables, as
 * local_call copies the owner's variable list.
 */
export function dialLocal(
  env: LocalDialEnv,
  outbound: SimChannel,
  inbound: SimChannel,
  target: LocalTarget,
  waitTimeMs: number,
): Promise<number | null> {
  if (!existsExtension(env.dialplan, target.context, target.exten, 1)) {
    env.log("notice", `No such extension/context ${target.exten}@${target.context} while calling Local channel`);
    return Promise.resolve(0);
  }
  for (const [name, value] of outbound.vars) inbound.setVar(name, value);
  inbound.cidName = outbound.cidName;
  inbound.cidNum = outbound.cidNum;
  inbound.accountcode = outbound.accountcode;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: number | null) => {
      if (settled) return;
      settled = true;
      env.clock.clearTimer(timer);
      inbound.off("indicate", onIndicate);
      if (result === null) {
        outbound.answer();
        // Either side hanging up ends the other (local_hangup queues a hangup to the peer).
        outbound.once("hangup", () => inbound.hangup("remote"));
        inbound.once("hangup", () => outbound.hangup("remote"));
      } else {
        inbound.hangup("remote");
      }
      resolve(result);
    };
    const onIndicate = (what: string) => {
      if (what === "busy") settle(5);
      else if (what === "congestion") settle(8);
    };
    const timer = env.clock.setTimer(env.clock.now() + waitTimeMs, () => settle(3));
    inbound.on("indicate", onIndicate);
    inbound.once("answer", () => settle(null));
    inbound.once("hangup", () => settle(0));
    void env.runDialplan(inbound, target).finally(() => {
      inbound.hangup("local");
    });
  });
}
