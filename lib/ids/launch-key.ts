/**
 * A random UUID (version 4) for a launch key, made in the browser. Not crypto.randomUUID: that
 * exists only in a secure context (https or localhost), and a dashboard on a site's LAN is often
 * reached over plain http at an address; crypto.getRandomValues is there in every context.
 */
export function newLaunchKey(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const b = random(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
