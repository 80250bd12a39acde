/**
 * Contact fields use the one text rule (lib/text/plain-text.ts): control characters, line and
 * paragraph separators and lone surrogates are rejected, never cleaned.
 */
import { hasForbiddenChars } from "@/lib/text/plain-text";

/** True when `value` breaks the text rule; `allowLineBreaks` permits CR and LF (notes). */
export function hasControlCharacters(value: string, { allowLineBreaks = false }: { allowLineBreaks?: boolean } = {}): boolean {
  return hasForbiddenChars(value, { allowLineBreaks });
}
