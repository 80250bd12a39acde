/**
 * Who answers: callee behaviour by number or endpoint, from rules (exact, prefix or regex on
 * the channel resource) or, for the demo, a seeded realistic mix. A behaviour is what the far
 * end does; the REASON it produces follows pbx_dial_reason (docs/asterisk.md#reason-codes). Rules file format: a JSON
 * array as in `callees.example.json`; a rule is matched against `TECH/resource`, the resource,
 * and the part before `@`; times are seconds (DTMF and hang-up times count from the answer).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

const dtmfStep = z.object({
  /** Seconds after answer at which the first digit ends (DTMF events fire at key end). */
  at: z.number().min(0),
  digits: z.string().regex(/^[0-9*#A-D]+$/, "digits: only 0-9 * # A-D"),
  /** Seconds between the ends of consecutive digits; default 0.352 (250 ms gap + 100 ms tone). */
  interval: z.number().min(0).optional(),
});

export const calleeBehaviourSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("answer"),
    after: z.number().min(0).default(2),
    dtmf: z.array(dtmfStep).default([]),
    /** Seconds after answer at which the callee hangs up; absent: stays until Asterisk hangs up. */
    hangupAfter: z.number().min(0).optional(),
  }),
  z.object({ kind: z.literal("no-answer") }),
  z.object({ kind: z.literal("busy"), after: z.number().min(0).default(1) }),
  z.object({ kind: z.literal("congestion"), after: z.number().min(0).default(0.5) }),
  z.object({ kind: z.literal("invalid") }),
  z.object({ kind: z.literal("hangup-before-answer"), after: z.number().min(0).default(3) }),
  z.object({ kind: z.literal("progress-only"), after: z.number().min(0).default(1) }),
  z.object({
    kind: z.literal("answering-machine"),
    after: z.number().min(0).default(4),
    hangupAfter: z.number().min(0).default(20),
  }),
]);

export type CalleeBehaviour = z.infer<typeof calleeBehaviourSchema>;

export const calleeRuleSchema = z
  .object({
    exact: z.string().min(1).optional(),
    prefix: z.string().min(1).optional(),
    regex: z.string().min(1).optional(),
    behaviour: calleeBehaviourSchema,
  })
  .refine((r) => [r.exact, r.prefix, r.regex].filter((v) => v !== undefined).length === 1, {
    message: "exactly one of exact, prefix or regex is required",
  });

export type CalleeRule = z.input<typeof calleeRuleSchema>;
type ParsedRule = z.infer<typeof calleeRuleSchema>;

export type CalleeModel = {
  /** Behaviour for the `attempt`th dial of `tech/dest`. */
  behaviourFor(tech: string, dest: string, attempt: number): CalleeBehaviour;
  /** The behaviour a rule gives `tech/dest`, without the fallback; undefined when no rule names it. */
  ruleFor?(tech: string, dest: string): CalleeBehaviour | undefined;
};

/** Parses rules (objects or a JSON file path); throws an Error naming the bad field. */
export function loadCalleeRules(source: CalleeRule[] | string): ParsedRule[] {
  const raw: unknown = typeof source === "string" ? JSON.parse(readFileSync(source, "utf8")) : source;
  const result = z.array(calleeRuleSchema).safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`callees[${issue.path.join(".")}]: ${issue.message}`);
  }
  for (const [i, rule] of result.data.entries()) {
    if (rule.regex !== undefined) {
      try {
        void new RegExp(rule.regex).source;
      } catch (err) {
        throw new Error(`callees[${i}].regex: ${(err as Error).message}`, { cause: err });
      }
    }
  }
  return result.data;
}

/** What a rule is matched against: `TECH/dest`, `dest`, and the number before `@`. */
function candidates(tech: string, dest: string): string[] {
  const at = dest.indexOf("@");
  return [`${tech}/${dest}`, dest, at === -1 ? dest : dest.slice(0, at)];
}

function matches(rule: ParsedRule, tech: string, dest: string): boolean {
  const names = candidates(tech, dest);
  if (rule.exact !== undefined) return names.includes(rule.exact);
  if (rule.prefix !== undefined) return names.some((n) => n.startsWith(rule.prefix!));
  const re = new RegExp(rule.regex!);
  return names.some((n) => re.test(n));
}

/** Rules first (first match wins), then `fallback` (the demo mix by default). */
export function createCalleeModel(rules: ParsedRule[], fallback: CalleeModel): CalleeModel {
  return {
    behaviourFor(tech, dest, attempt) {
      const rule = rules.find((r) => matches(r, tech, dest));
      return rule ? rule.behaviour : fallback.behaviourFor(tech, dest, attempt);
    },
    ruleFor(tech, dest) {
      return rules.find((r) => matches(r, tech, dest))?.behaviour ?? fallback.ruleFor?.(tech, dest);
    },
  };
}

/** mulberry32 over a 32-bit FNV-1a hash of the inputs: same seed, same callee, same outcome. */
function seededRandom(...parts: Array<string | number>): () => number {
  let h = 0x811c9dc5;
  for (const ch of parts.join("\u0000")) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let a = h;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The demo's realistic mix, reproducible per (seed, channel, attempt): about 70 % answer
 * (half of them press 1 a few seconds in, a few hang up mid-message, some are answering
 * machines), the rest no answer, busy, congestion or a hang-up while ringing.
 */
export function createDemoMix(seed: number): CalleeModel {
  return {
    behaviourFor(tech, dest, attempt) {
      const rnd = seededRandom(seed, tech, dest, attempt);
      const between = (lo: number, hi: number) => Math.round((lo + rnd() * (hi - lo)) * 10) / 10;
      const roll = rnd();
      if (roll < 0.7) {
        const sub = rnd();
        const after = between(2, 8);
        if (sub < 0.5) {
          return { kind: "answer", after, dtmf: [{ at: between(3, 7), digits: "1" }], hangupAfter: between(20, 40) };
        }
        if (sub < 0.6) return { kind: "answer", after, dtmf: [], hangupAfter: between(2, 6) };
        if (sub < 0.75) return { kind: "answering-machine", after: between(10, 20), hangupAfter: between(15, 30) };
        return { kind: "answer", after, dtmf: [], hangupAfter: between(15, 40) };
      }
      if (roll < 0.82) return { kind: "no-answer" };
      if (roll < 0.9) return { kind: "busy", after: between(0.5, 3) };
      if (roll < 0.95) return { kind: "congestion", after: between(0.2, 1) };
      return { kind: "hangup-before-answer", after: between(2, 10) };
    },
    ruleFor: () => undefined,
  };
}
