/**
 * When a key press on the home page opens the PA form: the bare `e` key, never while the
 * person types in a field (an "e" in a note must not leave the page), never with a modifier
 * (Ctrl+E and friends belong to the browser), never on auto-repeat. Plain data in, so it is
 * tested without a browser.
 */
export const EMERGENCY_PA_KEY = "e";

export type ShortcutPress = {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  repeat: boolean;
  defaultPrevented: boolean;
  /** The focused element's tag name (upper case, as the DOM gives it), if any. */
  targetTag?: string;
  targetEditable?: boolean;
};

const TYPING_TAGS = new Set(["INPUT", "TEXTAREA", "SELECT"]);

export function opensEmergencyPa(p: ShortcutPress): boolean {
  if (p.key !== EMERGENCY_PA_KEY || p.altKey || p.ctrlKey || p.metaKey || p.shiftKey || p.repeat) return false;
  if (p.defaultPrevented || p.targetEditable) return false;
  return !(p.targetTag && TYPING_TAGS.has(p.targetTag));
}
