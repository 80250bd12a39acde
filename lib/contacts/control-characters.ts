/**
 * Control characters that must never reach a call file or a CSV cell: C0 (U+0000–U+001F),
 * DEL, C1 (U+0080–U+009F) and the Unicode line/paragraph separators. Fields containing them
 * are rejected, never cleaned (docs/architecture.md#security-model).
 */
function isControl(code: number, allowLineBreaks: boolean): boolean {
  if (allowLineBreaks && (code === 0x0a || code === 0x0d)) return false;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/** True when `value` holds a control character; `allowLineBreaks` permits CR and LF (notes). */
export function hasControlCharacters(value: string, { allowLineBreaks = false }: { allowLineBreaks?: boolean } = {}): boolean {
  for (let i = 0; i < value.length; i++) if (isControl(value.charCodeAt(i), allowLineBreaks)) return true;
  return false;
}
