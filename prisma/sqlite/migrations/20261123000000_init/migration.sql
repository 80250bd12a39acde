-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'viewer',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "deskEndpoint" TEXT,
    "lastLoginAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" TEXT,
    "userAgent" TEXT,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LoginAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "deskEndpoint" TEXT,
    "timeZone" TEXT,
    "language" TEXT,
    "tags" TEXT NOT NULL DEFAULT '',
    "notes" TEXT NOT NULL DEFAULT '',
    "doNotCall" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ContactPhone" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contactId" TEXT NOT NULL,
    "e164" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "ContactPhone_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContactGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "isTest" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "GroupMember" (
    "groupId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("groupId", "contactId"),
    CONSTRAINT "GroupMember_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ContactGroup" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "GroupMember_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DncEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "e164" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AsteriskHost" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "transport" TEXT NOT NULL DEFAULT 'local',
    "spoolDir" TEXT NOT NULL,
    "soundsDir" TEXT NOT NULL,
    "sftpHost" TEXT,
    "sftpPort" INTEGER,
    "sftpUser" TEXT,
    "sftpPrivateKey" TEXT,
    "sftpHostKey" TEXT,
    "fileUid" INTEGER,
    "fileGid" INTEGER,
    "maxConcurrent" INTEGER NOT NULL DEFAULT 20,
    "maxPerSecond" INTEGER NOT NULL DEFAULT 10,
    "channelTemplate" TEXT NOT NULL DEFAULT 'PJSIP/{number}@trunk',
    "outboundContext" TEXT NOT NULL DEFAULT 'from-internal',
    "ivrMode" TEXT NOT NULL DEFAULT 'direct',
    "ivrContext" TEXT NOT NULL DEFAULT 'spoolcast',
    "ivrPublicAddress" TEXT,
    "paCallerId" TEXT NOT NULL DEFAULT '"PA" <911>',
    "defaultCallerId" TEXT NOT NULL DEFAULT '"Spoolcast" <1000>',
    "paVariables" TEXT NOT NULL DEFAULT '',
    "retention" TEXT NOT NULL DEFAULT 'archive',
    "maxRetries" INTEGER NOT NULL DEFAULT 2,
    "retryTime" INTEGER NOT NULL DEFAULT 60,
    "waitTime" INTEGER NOT NULL DEFAULT 30,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HostLease" (
    "hostId" TEXT NOT NULL PRIMARY KEY,
    "owner" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "heartbeatAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "HostLease_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "AsteriskHost" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AudioMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "tags" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT 'upload',
    "text" TEXT,
    "voice" TEXT,
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    "soundName" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AudioDelivery" (
    "audioId" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "syncedAt" DATETIME,

    PRIMARY KEY ("audioId", "hostId"),
    CONSTRAINT "AudioDelivery_audioId_fkey" FOREIGN KEY ("audioId") REFERENCES "AudioMessage" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AudioDelivery_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "AsteriskHost" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PaTemplate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "audioId" TEXT NOT NULL,
    "requireAck" BOOLEAN NOT NULL DEFAULT true,
    "repeat" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PaTemplate_audioId_fkey" FOREIGN KEY ("audioId") REFERENCES "AudioMessage" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PaBroadcast" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "templateId" TEXT,
    "audioId" TEXT NOT NULL,
    "requireAck" BOOLEAN NOT NULL DEFAULT true,
    "repeat" INTEGER NOT NULL DEFAULT 1,
    "isTest" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'running',
    "createdById" TEXT,
    "createdBy" TEXT NOT NULL DEFAULT '',
    "parentId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" DATETIME,
    CONSTRAINT "PaBroadcast_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "PaTemplate" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "PaBroadcast_audioId_fkey" FOREIGN KEY ("audioId") REFERENCES "AudioMessage" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'draft',
    "audioId" TEXT,
    "requireAck" BOOLEAN NOT NULL DEFAULT true,
    "maxReplays" INTEGER NOT NULL DEFAULT 2,
    "callerId" TEXT,
    "startAt" DATETIME,
    "endAt" DATETIME,
    "windowDays" TEXT NOT NULL DEFAULT '1,2,3,4,5,6,7',
    "windowStart" TEXT NOT NULL DEFAULT '00:00',
    "windowEnd" TEXT NOT NULL DEFAULT '23:59',
    "maxConcurrent" INTEGER NOT NULL DEFAULT 10,
    "perMinute" INTEGER NOT NULL DEFAULT 60,
    "retryCount" INTEGER NOT NULL DEFAULT 2,
    "retryIntervalSec" INTEGER NOT NULL DEFAULT 600,
    "retryOn" TEXT NOT NULL DEFAULT 'no-answer,busy',
    "hostId" TEXT,
    "parentId" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Campaign_audioId_fkey" FOREIGN KEY ("audioId") REFERENCES "AudioMessage" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Campaign_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "AsteriskHost" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CampaignGroup" (
    "campaignId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,

    PRIMARY KEY ("campaignId", "groupId"),
    CONSTRAINT "CampaignGroup_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CampaignGroup_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ContactGroup" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Call" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "hostId" TEXT NOT NULL,
    "campaignId" TEXT,
    "broadcastId" TEXT,
    "wakeUpId" TEXT,
    "contactId" TEXT,
    "createdById" TEXT,
    "destination" TEXT NOT NULL,
    "displayName" TEXT NOT NULL DEFAULT '',
    "channel" TEXT NOT NULL,
    "callerId" TEXT,
    "audioId" TEXT,
    "requireAck" BOOLEAN NOT NULL DEFAULT false,
    "scriptJson" TEXT NOT NULL DEFAULT '{}',
    "scheduledAt" DATETIME NOT NULL,
    "maxRetries" INTEGER NOT NULL DEFAULT 0,
    "retryTime" INTEGER NOT NULL DEFAULT 300,
    "waitTime" INTEGER NOT NULL DEFAULT 45,
    "fileSeq" INTEGER NOT NULL DEFAULT 0,
    "currentFile" TEXT,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "spooledAt" DATETIME,
    "answeredAt" DATETIME,
    "endedAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "outcome" TEXT,
    "reason" TEXT,
    "ackDigit" TEXT,
    "ackAt" DATETIME,
    "heardMs" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Call_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "AsteriskHost" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Call_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Call_broadcastId_fkey" FOREIGN KEY ("broadcastId") REFERENCES "PaBroadcast" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Call_wakeUpId_fkey" FOREIGN KEY ("wakeUpId") REFERENCES "WakeUp" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Call_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Call_audioId_fkey" FOREIGN KEY ("audioId") REFERENCES "AudioMessage" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CallAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "callId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "result" TEXT,
    "reason" TEXT,
    CONSTRAINT "CallAttempt_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CallEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "callId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'engine',
    "detail" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "CallEvent_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WakeUp" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "room" TEXT NOT NULL,
    "guestName" TEXT NOT NULL DEFAULT '',
    "destination" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "localTime" TEXT NOT NULL,
    "rrule" TEXT,
    "startDate" TEXT NOT NULL,
    "untilDate" TEXT,
    "state" TEXT NOT NULL DEFAULT 'active',
    "audioId" TEXT,
    "snoozeMinutes" INTEGER NOT NULL DEFAULT 9,
    "maxSnoozes" INTEGER NOT NULL DEFAULT 3,
    "retries" INTEGER NOT NULL DEFAULT 2,
    "escalateTo" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WakeUpOccurrence" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "wakeUpId" TEXT NOT NULL,
    "occursAt" DATETIME NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "snoozes" INTEGER NOT NULL DEFAULT 0,
    "callId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WakeUpOccurrence_wakeUpId_fkey" FOREIGN KEY ("wakeUpId") REFERENCES "WakeUp" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    "lastUsedAt" DATETIME,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "IdempotencyKey" (
    "tokenId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER,
    "response" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("tokenId", "key"),
    CONSTRAINT "IdempotencyKey_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL DEFAULT '',
    "targetId" TEXT,
    "summary" TEXT NOT NULL DEFAULT '',
    "ip" TEXT
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "LoginAttempt_key_createdAt_idx" ON "LoginAttempt"("key", "createdAt");

-- CreateIndex
CREATE INDEX "Contact_nameKey_idx" ON "Contact"("nameKey");

-- CreateIndex
CREATE INDEX "Contact_createdAt_idx" ON "Contact"("createdAt");

-- CreateIndex
CREATE INDEX "ContactPhone_e164_idx" ON "ContactPhone"("e164");

-- CreateIndex
CREATE INDEX "ContactPhone_contactId_idx" ON "ContactPhone"("contactId");

-- CreateIndex
CREATE UNIQUE INDEX "ContactGroup_name_key" ON "ContactGroup"("name");

-- CreateIndex
CREATE INDEX "GroupMember_contactId_idx" ON "GroupMember"("contactId");

-- CreateIndex
CREATE UNIQUE INDEX "DncEntry_e164_key" ON "DncEntry"("e164");

-- CreateIndex
CREATE UNIQUE INDEX "AsteriskHost_name_key" ON "AsteriskHost"("name");

-- CreateIndex
CREATE UNIQUE INDEX "AudioMessage_soundName_key" ON "AudioMessage"("soundName");

-- CreateIndex
CREATE UNIQUE INDEX "PaTemplate_name_key" ON "PaTemplate"("name");

-- CreateIndex
CREATE INDEX "CampaignGroup_groupId_idx" ON "CampaignGroup"("groupId");

-- CreateIndex
CREATE INDEX "Call_state_priority_scheduledAt_idx" ON "Call"("state", "priority", "scheduledAt");

-- CreateIndex
CREATE INDEX "Call_hostId_state_idx" ON "Call"("hostId", "state");

-- CreateIndex
CREATE INDEX "Call_campaignId_state_idx" ON "Call"("campaignId", "state");

-- CreateIndex
CREATE INDEX "Call_broadcastId_idx" ON "Call"("broadcastId");

-- CreateIndex
CREATE INDEX "Call_kind_createdAt_idx" ON "Call"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "Call_createdAt_idx" ON "Call"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "CallAttempt_callId_fileName_n_key" ON "CallAttempt"("callId", "fileName", "n");

-- CreateIndex
CREATE INDEX "CallEvent_callId_at_idx" ON "CallEvent"("callId", "at");

-- CreateIndex
CREATE INDEX "CallEvent_at_idx" ON "CallEvent"("at");

-- CreateIndex
CREATE INDEX "WakeUpOccurrence_occursAt_idx" ON "WakeUpOccurrence"("occursAt");

-- CreateIndex
CREATE UNIQUE INDEX "WakeUpOccurrence_wakeUpId_occursAt_key" ON "WakeUpOccurrence"("wakeUpId", "occursAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_name_key" ON "ApiToken"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at");

