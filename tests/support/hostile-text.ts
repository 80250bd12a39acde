/**
 * Strings hostile testers fed to every name and free-text field (issue 22): each must be refused
 * by lib/text/plain-text.ts wherever a person types text.
 */
export const HOSTILE_TEXT = [
  "Fire\ndrill",
  "Fire\r\nApplication: System",
  "tab\there",
  "nul\u0000byte",
  "line\u2028sep",
  "para\u2029sep",
  "nel\u0085here",
  "del\u007fhere",
  "esc\u001b[31m",
  "lone \ud800 high",
  "lone \udc00 low",
  "trailing break\n",
];

/**
 * The hostile-tester list for the sweeps (tests/hostile-*.test.ts): the text rule's list, a
 * call-file key injection and a value far past every field's limit. Refused by every field.
 */
export const HOSTILE_EVERYWHERE = [...HOSTILE_TEXT, "x\n Channel: Local/666@evil", "x".repeat(20_000)];

/**
 * Printable characters that are harmless in a name but mean something in a call file or the
 * dialplan (a comment, an escape, a separator, an expression): refused by every field that
 * reaches a call file (caller ID, endpoints, contexts, variables, CDR userfield).
 */
export const CALL_FILE_HOSTILE = ["Front ;desk", "Front #desk", "back\\slash", "${SHELL}", "$[1+1]", "a\\nChannel: x"];
