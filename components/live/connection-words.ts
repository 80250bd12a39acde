/**
 * The banner's words when a live view cannot reach the server. The age is whole seconds (then
 * minutes, then hours) since the last successful update, so the user can judge how stale the
 * figures on screen are; with no update at all it says so instead of inventing an age.
 */
export function connectionLostMessage(lastUpdatedAt: number, now: number): string {
  if (!lastUpdatedAt) return "Connection lost — no update received yet";
  const s = Math.max(0, Math.floor((now - lastUpdatedAt) / 1000));
  const age = s < 120 ? `${s} s` : s < 7200 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 3600)} h`;
  return `Connection lost — last update ${age} ago`;
}
