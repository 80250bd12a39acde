/**
 * The one rule for every name and free-text field (contacts, groups, campaigns, API tokens,
 * hosts, users, messages, templates, wake-ups): text a person typed may not hold C0 controls
 * (U+0000–U+001F, so NUL and TAB too), DEL, C1 controls (U+0080–U+009F), the Unicode line and
 * paragraph separators (U+2028, U+2029) or a lone UTF-16 surrogate. Such text is refused with a
 * message naming the field, never cleaned (docs/architecture.md#security-model): a NUL fails a
 * PostgreSQL write, a separator or NEL splits a call-file or CSV line in some readers, and a
 * lone surrogate cannot be stored as UTF-8.
 * Multi-line fields (notes, descriptions) may hold CR and LF, nothing else from the list.
 */
import { z } from "zod";

export type ForbiddenChar = { index: number; name: string };

const NAMES: Record<number, string> = {
  0x00: "a NUL character",
  0x09: "a tab",
  0x0a: "a line break",
  0x0d: "a line break",
  0x85: "a line break (U+0085)",
  0x2028: "a line separator (U+2028)",
  0x2029: "a paragraph separator (U+2029)",
};

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;

/** The first character the rule refuses, or null. */
export function findForbiddenChar(value: string, { allowLineBreaks = false } = {}): ForbiddenChar | null {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a proper pair: one character outside the BMP (an emoji, say)
        continue;
      }
      return { index: i, name: `a broken character (lone surrogate ${hex(code)})` };
    }
    if (code >= 0xdc00 && code <= 0xdfff) return { index: i, name: `a broken character (lone surrogate ${hex(code)})` };
    if (allowLineBreaks && (code === 0x0a || code === 0x0d)) continue;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
      return { index: i, name: NAMES[code] ?? `a control character (${hex(code)})` };
    }
  }
  return null;
}

/** True when `value` breaks the rule. */
export function hasForbiddenChars(value: string, options: { allowLineBreaks?: boolean } = {}): boolean {
  return findForbiddenChar(value, options) !== null;
}

/**
 * A trimmed text field under the rule: `label` names it in every message ("Campaign name must
 * not contain a tab"). Checked before trimming, so a trailing line break is refused rather than
 * quietly removed.
 */
export function plainText(label: string, options: { max: number; min?: number; allowLineBreaks?: boolean; required?: string }) {
  const { max, min = 0, allowLineBreaks = false } = options;
  let schema = z
    .string({ error: options.required ?? `Enter the ${label.toLowerCase()}` })
    .superRefine((v, ctx) => {
      const bad = findForbiddenChar(v, { allowLineBreaks });
      if (bad) ctx.addIssue({ code: "custom", message: `${label} must not contain ${bad.name}`, abort: true });
    })
    .trim();
  if (min > 0) schema = schema.min(min, options.required ?? `Enter the ${label.toLowerCase()}`);
  return schema.max(max, `${label} is too long (at most ${max} characters)`);
}
