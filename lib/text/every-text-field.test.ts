/**
 * Every schema that takes a name or free text a person typed applies the one text rule
 * (lib/text/plain-text.ts): each hostile string is refused, with a message that names the
 * field. A new field that forgets the rule belongs in this list.
 */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { HOSTILE_TEXT } from "@/tests/support/hostile-text";
import { createApiTokenSchema } from "@/lib/api/token.schema";
import { personNameSchema } from "@/lib/auth/user.schema";
import { contactName } from "@/lib/contacts/contact.schema";
import { groupName } from "@/lib/groups/group.schema";
import { hostInputSchema } from "@/lib/hosts/host.schema";
import { audioNameSchema } from "@/lib/audio/audio.schema";
import { campaignFieldsSchema } from "@/lib/campaigns/campaign.schema";
import { launchPaSchema, paTemplateSchema } from "@/lib/pa/pa.schema";
import { createWakeUpSchema } from "@/lib/wakeups/wakeup.schema";

const FIELDS: [string, z.ZodType, RegExp][] = [
  ["contact name", contactName, /name/i],
  ["group name", groupName, /group name/i],
  ["user name", personNameSchema, /name/i],
  ["API token name", createApiTokenSchema.shape.name, /token name/i],
  ["host name", hostInputSchema.shape.name, /host name/i],
  ["campaign name", campaignFieldsSchema.shape.name, /campaign name/i],
  ["message name", audioNameSchema, /message name/i],
  ["PA template name", paTemplateSchema.shape.name, /template name/i],
  ["wake-up guest name", createWakeUpSchema.shape.guestName, /guest name/i],
  ["wake-up room", createWakeUpSchema.shape.room, /room/i],
];

// Multi-line free text: line breaks are allowed, everything else on the list is refused.
const MULTI_LINE: [string, z.ZodType, RegExp][] = [["PA announcement", launchPaSchema.shape.ttsText, /announcement/i]];

describe("every name field refuses control characters, separators and broken characters", () => {
  for (const [field, schema, names] of FIELDS) {
    it(`${field}`, () => {
      for (const hostile of HOSTILE_TEXT) {
        const result = schema.safeParse(hostile);
        expect({ hostile, ok: result.success }).toEqual({ hostile, ok: false });
        expect(result.error?.issues[0]?.message).toMatch(names);
      }
      expect(schema.safeParse(field === "wake-up room" ? "Suite 4B" : "Zoë 東京 🔥").success).toBe(true);
    });
  }
  for (const [field, schema, names] of MULTI_LINE) {
    it(`${field} (multi-line)`, () => {
      for (const hostile of ["tab\there", "nul\u0000byte", "line\u2028sep", "nel\u0085here", "lone \ud800 high"]) {
        const result = schema.safeParse(hostile);
        expect({ hostile, ok: result.success }).toEqual({ hostile, ok: false });
        expect(result.error?.issues[0]?.message).toMatch(names);
      }
      expect(schema.safeParse("Evacuate building B.\nUse the north stairs.").success).toBe(true);
    });
  }
});
