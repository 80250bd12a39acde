/**
 * Integration-test setup: one throwaway PostgreSQL for the whole run (unless
 * SPOOLCAST_TEST_PG_URL points at one already), exposed to tests as SPOOLCAST_TEST_PG_URL.
 */
import type { TestProject } from "vitest/node";
import { startPg, type PgServer } from "./pg-server";

let pg: PgServer | undefined;

export async function setup(project: TestProject) {
  let url = process.env.SPOOLCAST_TEST_PG_URL;
  if (!url) {
    pg = await startPg();
    url = pg.url;
  }
  project.provide("pgUrl", url);
  process.env.SPOOLCAST_TEST_PG_URL = url;
}

export async function teardown() {
  pg?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string;
  }
}
