/**
 * The self-test's checklist ("Test the PBX", docs/operations.md#the-self-test-call): turns what
 * the self-test calls left behind (their rows, timelines, attempts and archives) into lines a PBX
 * administrator can act on, each with the fix for its failure. Pure: the evidence is gathered by
 * self-test.ts, so every line can be checked here without a PBX.
 *
 * Only evidence passes a line: Asterisk's StartRetry line (picked up), the archive's Status
 * (archived, answered), an authenticated IVR session (IVR reached, token), an `F` event for a file
 * (played to its end), a REASON the failed extension reported. A line whose evidence depends on an
 * earlier failed line is "skipped", so the first failed line is the diagnosis.
 */
import { stateLabel } from "@/lib/calls/outcome-words";

export type SelfTestLineId =
  "picked-up" | "archived" | "answered" | "ivr-reached" | "token" | "system-prompt" | "message" | "failed-leg";

export type SelfTestLineStatus = "passed" | "failed" | "warning" | "skipped";

export type SelfTestLine = {
  id: SelfTestLineId;
  /** What the line checks, in plain words. */
  label: string;
  status: SelfTestLineStatus;
  /** What was seen. */
  detail: string;
  /** What to do, for a failed line or a warning. */
  fix?: string;
};

/** What one self-test call left behind. */
export type LegEvidence = {
  callId: string;
  channel: string;
  state: string;
  final: boolean;
  spooledAt: Date | null;
  /** The first sign Asterisk had the file: its StartRetry line, or the call answered. */
  pickedUpAt: Date | null;
  /** Asterisk wrote a StartRetry line (it could append to the file). */
  retryLines: boolean;
  /** The archive as read from outgoing_done/, when the self-test saw it before retention removed it. */
  archive: { status: string | null; uid?: number; gid?: number } | null;
  /** REASONs the failed extension reported, in attempt order. */
  reasons: string[];
  /** The call's timeline (type, detail). */
  events: Array<{ type: string; detail: string }>;
  /** Why Spoolcast's IVR server refused a session for this call (the audit log), if it did. */
  authFailure: string | null;
};

export type SelfTestEvidence = {
  ivrMode: "direct" | "dialplan";
  /** `host:port` the call files and the snippet name for the IVR server. */
  ivrAddress: string;
  /** The snippet's self-test context, e.g. `spoolcast-selftest`. */
  testContext: string;
  /** The host's file owner setting, if any. */
  fileUid: number | null;
  transport: "local" | "sftp";
  /** How long the self-test waited for its calls. */
  waitedMs: number;
  /** The system prompt the prompt call plays. */
  systemPrompt: string;
  /** The library message the message call plays; null when the library is empty. */
  message: { name: string; soundName: string } | null;
  /** Plays the system prompt: Local/s@<testContext>. */
  promptLeg: LegEvidence;
  /** Plays the library message (absent when there is none). */
  messageLeg: LegEvidence | null;
  /** Fails on purpose: Local/busy@<testContext> (dialplan mode only). */
  failingLeg: LegEvidence | null;
};

/** States the archive's `Status: Completed` leads to: Asterisk answered. */
const ANSWERED_STATES = new Set([
  "answered",
  "completed",
  "acknowledged",
  "not-acknowledged",
  "not-played",
  "playback-unconfirmed",
]);
/** Final states the archive never produced: Spoolcast gave up on the file, or never wrote it. */
const NOT_ARCHIVED_STATES = new Set(["lost", "missed", "cancelled"]);
/** Pickups slower than this get a warning: a renamed file is picked up within milliseconds. */
const SLOW_PICKUP_MS = 3000;

const REASON_WORDS: Record<string, string> = {
  "0": "the channel could not be created",
  "3": "no answer",
  "5": "busy",
  "8": "congestion",
};

const seconds = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
const has = (leg: LegEvidence, type: string, detail?: string) =>
  leg.events.some((e) => e.type === type && (detail === undefined || e.detail === detail));
const answered = (leg: LegEvidence) => ANSWERED_STATES.has(leg.state) || has(leg, "answered") || has(leg, "ivr.connected");
const cannotPlay = (leg: LegEvidence, sound: string) =>
  has(leg, "ivr.error", `cannot play ${sound}`) ||
  leg.events.some((e) => e.type === "ivr.not-played" && e.detail.includes(sound));

const skipped = (id: SelfTestLineId, label: string, because: string): SelfTestLine => ({
  id,
  label,
  status: "skipped",
  detail: `Not checked: ${because}`,
});

export function buildChecklist(ev: SelfTestEvidence): SelfTestLine[] {
  const lines: SelfTestLine[] = [];
  const leg = ev.promptLeg;
  const wait = seconds(ev.waitedMs);

  // 1. Picked up.
  const pickedLabel = "Asterisk picked up the call file";
  if (!leg.spooledAt) {
    lines.push({
      id: "picked-up",
      label: pickedLabel,
      status: "failed",
      detail: `Spoolcast did not place the call file in outgoing/ within ${wait}.`,
      fix: "Spoolcast's engine must run: start Spoolcast (npm start, or npm run worker when SPOOLCAST_ENGINE=off), then check Settings → Engine status and the host's Test connection.",
    });
  } else if (!leg.pickedUpAt) {
    lines.push({
      id: "picked-up",
      label: pickedLabel,
      status: "failed",
      detail: `The file stayed in outgoing/ for ${wait} without a StartRetry line from Asterisk.`,
      fix:
        "Load pbx_spool (asterisk -rx \"module show like pbx_spool\"); make the host's spool directory Asterisk's own (astspooldir in asterisk.conf, normally /var/spool/asterisk) on a local filesystem (not NFS); " +
        "and let Asterisk write the file: set the host's file owner to Asterisk's user.",
    });
  } else {
    const ms = leg.pickedUpAt.getTime() - leg.spooledAt.getTime();
    lines.push({
      id: "picked-up",
      label: pickedLabel,
      status: ms > SLOW_PICKUP_MS ? "warning" : "passed",
      detail: `Picked up ${seconds(ms)} after it was placed in outgoing/.`,
      ...(ms > SLOW_PICKUP_MS
        ? {
            fix: "A file renamed into outgoing/ is picked up within milliseconds. A delay of seconds means Asterisk does not see the rename: keep the spool on a local filesystem of the PBX, and check the PBX's and Spoolcast's clocks agree.",
          }
        : {}),
    });
  }
  const pickedUp = lines[0]!.status !== "failed";

  // 2. Archived, and who owns it.
  const archivedLabel = "The archive appeared in outgoing_done/";
  if (!pickedUp) lines.push(skipped("archived", archivedLabel, "the file was not picked up."));
  else if (!leg.final) {
    lines.push({
      id: "archived",
      label: archivedLabel,
      status: "warning",
      detail: `The call was still in progress after ${wait}, so its archive was not there yet.`,
      fix: "See the first failed line below: the call stays up while Spoolcast waits for Asterisk's playback events.",
    });
  } else if (NOT_ARCHIVED_STATES.has(leg.state)) {
    lines.push({
      id: "archived",
      label: archivedLabel,
      status: "failed",
      detail: `No archive: the call ended as “${stateLabel(leg.state)}” without Asterisk archiving its file.`,
      fix: "Asterisk archives into outgoing_done/ next to outgoing/: that directory must exist or be creatable by Asterisk's user, on the same filesystem.",
    });
  } else if (!leg.retryLines) {
    lines.push({
      id: "archived",
      label: archivedLabel,
      status: "failed",
      detail: "The archive has no StartRetry line: Asterisk could not append to the file.",
      fix: "Asterisk must be able to write the files Spoolcast places: set the host's file owner (uid, gid) to Asterisk's user, and run Spoolcast as that user or as root.",
    });
  } else {
    const status = leg.archive?.status ?? (answered(leg) ? "Completed" : "Expired");
    const owner =
      leg.archive?.uid !== undefined
        ? `, owned by uid ${leg.archive.uid} gid ${leg.archive.gid}`
        : ev.transport === "sftp"
          ? " (its owner is not read over SFTP)"
          : "";
    const mismatch = ev.fileUid !== null && leg.archive?.uid !== undefined && leg.archive.uid !== ev.fileUid;
    lines.push({
      id: "archived",
      label: archivedLabel,
      status: mismatch ? "warning" : "passed",
      detail: `Archived with Status: ${status}${owner}; Asterisk appended its StartRetry line, so it can write the files Spoolcast places.`,
      ...(mismatch
        ? {
            fix: `The host's file owner is uid ${ev.fileUid}, but the file belonged to uid ${leg.archive!.uid}: Spoolcast could not chown it. Run Spoolcast as root or as that user.`,
          }
        : {}),
    });
  }

  // 2b. The self-test context answered (the snippet is loaded).
  const answeredLabel = `Asterisk answered the test call in [${ev.testContext}]`;
  if (!pickedUp) lines.push(skipped("answered", answeredLabel, "the file was not picked up."));
  else if (answered(leg)) {
    lines.push({
      id: "answered",
      label: answeredLabel,
      status: "passed",
      detail: `${leg.channel} answered by itself.`,
    });
  } else if (!leg.final) {
    lines.push({
      id: "answered",
      label: answeredLabel,
      status: "failed",
      detail: `${leg.channel} did not answer within ${wait}.`,
      fix: snippetFix(ev),
    });
  } else {
    const reason = leg.reasons.at(-1);
    lines.push({
      id: "answered",
      label: answeredLabel,
      status: "failed",
      detail:
        `Asterisk could not call ${leg.channel} (the call ended as “${stateLabel(leg.state)}”` +
        (reason !== undefined ? `, REASON ${reason}: ${REASON_WORDS[reason] ?? "other"}` : "") +
        "). The self-test context is missing from the PBX's dialplan.",
      fix: snippetFix(ev),
    });
  }
  const isAnswered = lines.at(-1)!.status === "passed";

  // 3. The IVR server was reached.
  const reachedLabel = `Asterisk reached the IVR server at ${ev.ivrAddress}`;
  const connected = has(leg, "ivr.connected");
  if (!isAnswered) lines.push(skipped("ivr-reached", reachedLabel, "the test call was not answered."));
  else if (connected || leg.authFailure) {
    lines.push({ id: "ivr-reached", label: reachedLabel, status: "passed", detail: "Asterisk connected to the IVR server." });
  } else {
    lines.push({
      id: "ivr-reached",
      label: reachedLabel,
      status: "failed",
      detail: `The call was answered, but Asterisk did not connect to ${ev.ivrAddress}${leg.final ? "" : ` within ${wait}`}.`,
      fix:
        `From the PBX, ${ev.ivrAddress} must reach Spoolcast's IVR server: set IVR_LISTEN to an address the PBX can reach (e.g. 0.0.0.0:2949) and IVR_PUBLIC_ADDRESS, or the host's IVR address, to the host:port the PBX should connect to; ` +
        'allow that TCP port through the firewall from the PBX. Asterisk\'s log says "Could not connect to any host. ExternalIVR failed." Load app_externalivr (asterisk -rx "core show application ExternalIVR").' +
        (ev.ivrMode === "dialplan"
          ? " In dialplan mode the address is in the pasted snippet: paste it again after changing it."
          : ""),
    });
  }
  const reached = lines.at(-1)!.status === "passed";

  // 4. The token round-tripped.
  const tokenLabel = "The call token came back from Asterisk intact";
  if (!reached) lines.push(skipped("token", tokenLabel, "Asterisk did not reach the IVR server."));
  else if (connected) {
    lines.push({ id: "token", label: tokenLabel, status: "passed", detail: "The IVR server verified the call's token." });
  } else {
    lines.push({
      id: "token",
      label: tokenLabel,
      status: "failed",
      detail: `The IVR server refused the session: ${leg.authFailure}`,
      fix: "Every Spoolcast process (web server and workers) must use the same SPOOLCAST_SECRET, and the IVR address must fit Asterisk's 99-character argument limit (Settings → Asterisk hosts refuses one that does not).",
    });
  }
  const authenticated = lines.at(-1)!.status === "passed";

  // 5. A system prompt played to its end.
  const promptLabel = "A system prompt played to its end";
  let soundsPlay = false;
  if (!authenticated) lines.push(skipped("system-prompt", promptLabel, "no IVR session was opened."));
  else if (has(leg, "ivr.played", ev.systemPrompt)) {
    soundsPlay = true;
    lines.push({
      id: "system-prompt",
      label: promptLabel,
      status: "passed",
      detail: `Asterisk reported the end of ${ev.systemPrompt} (F event): its core sounds and the WAV format module are present.`,
    });
  } else if (cannotPlay(leg, ev.systemPrompt)) {
    lines.push({
      id: "system-prompt",
      label: promptLabel,
      status: "failed",
      detail: `Asterisk does not have ${ev.systemPrompt} ("Unknown file requested").`,
      fix: "Spoolcast delivers its system prompts to <the host's sounds root>/spoolcast/system/ when it starts and with Messages → Sync hosts. Set the host's Sounds root (Settings → Asterisk hosts) to Asterisk's (normally /var/lib/asterisk/sounds), not a subdirectory, then run Sync hosts.",
    });
  } else {
    lines.push({
      id: "system-prompt",
      label: promptLabel,
      status: "failed",
      detail: `Asterisk accepted ${ev.systemPrompt} but never reported its end (no F event${leg.final ? "" : ` within ${wait}`}).`,
      fix: "Install Asterisk's core sounds (Debian: asterisk-core-sounds-en-wav or -gsm; ExternalIVR plays silence/10 between files, and without it nothing plays at all) and load format_wav plus a codec path to the phones' codec (core show translation).",
    });
  }

  // 6. A library message played.
  const messageLabel = ev.message ? `A library message played (“${ev.message.name}”)` : "A library message played";
  const mLeg = ev.messageLeg;
  if (!ev.message || !mLeg) {
    lines.push({
      id: "message",
      label: messageLabel,
      status: "failed",
      detail: "The message library is empty, so there is no message to play.",
      fix: "Add a message under Messages (upload or text to speech), then run the self-test again.",
    });
  } else if (!authenticated) {
    lines.push(skipped("message", messageLabel, "no IVR session was opened."));
  } else if (has(mLeg, "ivr.played", ev.message.soundName)) {
    lines.push({
      id: "message",
      label: messageLabel,
      status: "passed",
      detail: `Asterisk played ${ev.message.soundName} to its end (F event).`,
    });
  } else if (cannotPlay(mLeg, ev.message.soundName)) {
    lines.push({
      id: "message",
      label: messageLabel,
      status: "failed",
      detail: `The message file ${ev.message.soundName} is not on the PBX ("Unknown file requested").`,
      fix: "Spoolcast writes messages to <the host's sounds root>/spoolcast/. Set the host's Sounds root (Settings → Asterisk hosts) to Asterisk's (normally /var/lib/asterisk/sounds), not a subdirectory, and deliver the messages again (Messages → Sync hosts).",
    });
  } else if (!soundsPlay) {
    lines.push(skipped("message", messageLabel, "no sound plays until the line above is fixed."));
  } else {
    lines.push({
      id: "message",
      label: messageLabel,
      status: "failed",
      detail: `Asterisk accepted ${ev.message.soundName} but never reported its end (no F event${mLeg.final ? "" : ` within ${wait}`}).`,
      fix: "Re-deliver the message (Messages → Sync hosts); a file Asterisk cannot decode never plays. Messages are 8 kHz mono 16-bit WAV: load format_wav.",
    });
  }

  // 7. The failing leg reported its REASON (dialplan mode).
  const failedLabel = "A deliberately failing leg reported its REASON";
  const fLeg = ev.failingLeg;
  if (ev.ivrMode === "direct") {
    lines.push({
      id: "failed-leg",
      label: failedLabel,
      status: "skipped",
      detail:
        "Not checked: in direct IVR mode Asterisk reports no reason for a failed call; switch the host to dialplan mode to see them.",
    });
  } else if (!fLeg || !pickedUp) {
    lines.push(skipped("failed-leg", failedLabel, "the file was not picked up."));
  } else if (fLeg.reasons.length > 0) {
    const reason = fLeg.reasons.at(-1)!;
    const expected = reason === "5";
    lines.push({
      id: "failed-leg",
      label: failedLabel,
      status: expected ? "passed" : "failed",
      detail: `${fLeg.channel} failed and the failed extension reported REASON ${reason} (${REASON_WORDS[reason] ?? "other"}).`,
      ...(expected ? {} : { fix: snippetFix(ev) }),
    });
  } else if (!reached) {
    lines.push(
      skipped("failed-leg", failedLabel, "the failed extension reports through the IVR server, which Asterisk did not reach."),
    );
  } else {
    lines.push({
      id: "failed-leg",
      label: failedLabel,
      status: "failed",
      detail: `${fLeg.channel} ${fLeg.final ? `ended as “${stateLabel(fLeg.state)}”` : `was still in progress after ${wait}`} and no REASON was reported.`,
      fix: `${snippetFix(ev)} The [${ev.testContext.replace(/-selftest$/, "")}] context needs its failed extension, which reports every failed attempt's REASON.`,
    });
  }
  return lines;
}

function snippetFix(ev: SelfTestEvidence): string {
  return `Paste this host's dialplan snippet (Settings → Asterisk hosts → Dialplan snippet), which has the [${ev.testContext}] context, into /etc/asterisk/extensions.conf and run: asterisk -rx "dialplan reload".`;
}

/** The checklist passed: no line failed or warned (skipped lines do not count). */
export function checklistPassed(lines: SelfTestLine[]): boolean {
  return lines.every((l) => l.status === "passed" || l.status === "skipped");
}
