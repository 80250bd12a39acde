/** Asterisk hosts over the API: the self-test call ("Test the PBX", lib/hosts/self-test.ts). */
import { z } from "zod";
import { env } from "@/lib/env";
import { runSelfTest } from "@/lib/hosts/self-test";
import { selfTestLineSchema, selfTestResultSchema } from "@/lib/hosts/self-test-store";
import { defineEndpoint } from "../endpoint";
import { ApiError } from "../errors";

const idParams = z.object({ id: z.string().min(1).max(40) });

export const hostSelfTestEndpoint = defineEndpoint({
  method: "POST",
  path: "/hosts/{id}/self-test",
  scope: "hosts:test",
  tag: "Hosts",
  summary: "Run the self-test call",
  description:
    "Places real test calls that Asterisk answers by itself (Local channels into the dialplan snippet's self-test context) and " +
    "returns the checklist: file picked up, archive and owner, answered, IVR server reached, token, system prompt and library " +
    "message played to their end, and (dialplan mode) a failing leg's REASON. Each failed line has its fix. The request " +
    "returns when the calls have ended, at most about 90 seconds later. The result is stored as the host's last self-test.",
  params: idParams,
  body: z.object({}),
  response: selfTestResultSchema
    .extend({ lines: z.array(selfTestLineSchema.meta({ id: "SelfTestLine" })) })
    .meta({ id: "SelfTestResult" }),
  handler: async ({ db, params, actor, ip }) => {
    const host = await db.asteriskHost.findUnique({ where: { id: params.id }, select: { id: true } });
    if (!host) throw new ApiError(404, "not_found", `No Asterisk host with id ${params.id}`, "id");
    return await runSelfTest(db, host.id, { ivrPublicAddress: env().ivrPublicAddress, actor, ip });
  },
});
