/**
 * Limits of the message library, shared by the services, the upload route and the forms so
 * the UI states the same numbers the server enforces.
 */

/** Largest upload accepted, before any decoding. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Longest message: an announcement, not a recording of a meeting. */
export const MAX_DURATION_MS = 10 * 60 * 1000;
/** Shorter than this is silence or a broken file, not a message. */
export const MIN_DURATION_MS = 100;
/** Longest text-to-speech input. */
export const MAX_TTS_CHARS = 2000;
/** espeak-ng speed in words per minute (its default is 175). */
export const MIN_TTS_WPM = 80;
export const MAX_TTS_WPM = 300;
export const DEFAULT_TTS_WPM = 160;
/** Longest message name and tag. */
export const MAX_NAME_LENGTH = 100;
export const MAX_TAG_LENGTH = 40;
export const MAX_TAGS = 20;

/** What Asterisk plays natively without transcoding: 8 kHz, mono, signed 16-bit PCM. */
export const TARGET_RATE = 8000;
export const TARGET_CHANNELS = 1;
export const TARGET_BITS = 16;
