/**
 * The one rule for a caller ID a person types ("Name" <number>, or a number), wherever it is
 * typed (host defaults, campaigns): it is parsed as Asterisk parses a CallerID line and then
 * run through the call-file serializer, so a value is refused exactly when the engine could not
 * write it (docs/asterisk.md#caller-id-parsing). Before, campaigns used a looser pattern of their
 * own: a name with U+2028, NUL or TAB was accepted and every call of the campaign was then lost.
 */
import { parseCallerId } from "@/lib/callfile/parse";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { CallFileError } from "@/lib/callfile/types";
import { findForbiddenChar } from "@/lib/text/plain-text";

/** Why `value` cannot be a caller ID, in words for the form, or null when it can. */
export function callerIdProblem(value: string): string | null {
  // Asterisk would strip a trailing tab or line break; a person's text is refused instead.
  const bad = findForbiddenChar(value);
  if (bad) return `Caller ID must not contain ${bad.name}`;
  // The serializer could escape a `;` (pbx_spool.c apply_outgoing cuts a line at an unescaped
  // one) and carry `${…}` or `$[…]` verbatim, but a caller ID is shown on phones and passed
  // through dialplans that may expand it (EVAL(), System): no caller ID needs them, so refuse.
  const special = /[;$]/.exec(value);
  if (special) return `Caller ID must not contain "${special[0]}"`;
  const parsed = parseCallerId(value);
  if (!parsed.name && !parsed.number) return 'Write it as "Name" <number>, e.g. "Spoolcast" <1000>';
  try {
    serializeCallFile({ channel: "Local/s@spoolcast-check", application: "Hangup", callerId: parsed });
    return null;
  } catch (e) {
    if (e instanceof CallFileError) return `${e.reason} (write it as "Name" <number>)`;
    throw e;
  }
}
