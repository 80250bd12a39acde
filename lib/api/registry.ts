/** Every REST endpoint, for the OpenAPI document and the docs page. Route files import the same definitions. */
import type { AnyEndpoint } from "./endpoint";
import { getCallEndpoint, listCallsEndpoint } from "./endpoints/calls";
import {
  campaignResultsEndpoint,
  cancelCampaignEndpoint,
  createCampaignEndpoint,
  listCampaignsEndpoint,
  pauseCampaignEndpoint,
  resumeCampaignEndpoint,
  startCampaignEndpoint,
} from "./endpoints/campaigns";
import { clickToCallEndpoint } from "./endpoints/click-to-call";
import { hostSelfTestEndpoint } from "./endpoints/hosts";
import { getPaEndpoint, launchPaEndpoint, stopPaEndpoint } from "./endpoints/pa";
import {
  cancelWakeUpEndpoint,
  createWakeUpEndpoint,
  getWakeUpEndpoint,
  listWakeUpsEndpoint,
  updateWakeUpEndpoint,
} from "./endpoints/wakeups";

export const API_ENDPOINTS: AnyEndpoint[] = [
  launchPaEndpoint,
  getPaEndpoint,
  stopPaEndpoint,
  listCallsEndpoint,
  getCallEndpoint,
  clickToCallEndpoint,
  createCampaignEndpoint,
  listCampaignsEndpoint,
  startCampaignEndpoint,
  pauseCampaignEndpoint,
  resumeCampaignEndpoint,
  cancelCampaignEndpoint,
  campaignResultsEndpoint,
  listWakeUpsEndpoint,
  getWakeUpEndpoint,
  createWakeUpEndpoint,
  updateWakeUpEndpoint,
  cancelWakeUpEndpoint,
  hostSelfTestEndpoint,
];
