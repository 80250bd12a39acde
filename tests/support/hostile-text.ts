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
