/** IANA zone names for the time-zone picker (the server validates against the same list). */
export function listTimeZones(): string[] {
  return Intl.supportedValuesOf("timeZone");
}
