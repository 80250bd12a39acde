/** Click-to-call over the API: ring a user's desk phone, then connect it to a contact (lib/calls). */
import { z } from "zod";
import { clickToCallSchema, startClickToCall } from "@/lib/calls/click-to-call";
import { defineEndpoint } from "../endpoint";

export const clickToCallEndpoint = defineEndpoint({
  method: "POST",
  path: "/calls/click-to-call",
  scope: "calls:place",
  tag: "Calls",
  summary: "Click-to-call",
  description:
    "Rings the desk phone of the user `userId` (set on their account page); when they answer, Asterisk dials the contact's number.",
  body: clickToCallSchema,
  successStatus: 201,
  example: { userId: "<user id>", contactId: "<contact id>", number: "+15551234567" },
  response: z
    .object({ callId: z.string(), deskEndpoint: z.string(), number: z.string(), name: z.string() })
    .meta({ id: "ClickToCallStarted" }),
  handler: async ({ db, body, actor, ip }) => await startClickToCall(db, body, actor, { ip }),
});
