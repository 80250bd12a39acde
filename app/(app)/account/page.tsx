import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { getUserTimeZone } from "@/lib/time/viewer-zone";
import { ChangePasswordForm } from "./change-password-form";
import { DeskPhoneForm } from "./desk-phone-form";
import { TimeZoneForm } from "./time-zone-form";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requireUser();
  const timeZone = await getUserTimeZone(db(), user.id);
  const zones = [...new Set(["UTC", ...Intl.supportedValuesOf("timeZone")])];
  return (
    <>
      <PageHeader
        title="Your account"
        description="Your sign-in details. An administrator can change your name, email or role."
      />
      <div className="grid max-w-3xl grid-cols-1 gap-6">
        <Card>
          <CardHeader>
            <CardTitle>Profile</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
              <dt className="text-slate-600">Name</dt>
              <dd className="font-medium">{user.name}</dd>
              <dt className="text-slate-600">Email</dt>
              <dd className="break-all">{user.email}</dd>
              <dt className="text-slate-600">Role</dt>
              <dd>
                <Badge variant="secondary" className="capitalize">
                  {user.role}
                </Badge>
              </dd>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Time zone</CardTitle>
            <CardDescription>Every time in Spoolcast is shown on this clock, with the zone named.</CardDescription>
          </CardHeader>
          <CardContent>
            <TimeZoneForm timeZone={timeZone} zones={zones} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Click-to-call</CardTitle>
            <CardDescription>
              When you click a contact&apos;s number, this phone rings first, then the contact is dialled.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <DeskPhoneForm deskEndpoint={user.deskEndpoint} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Change password</CardTitle>
            <CardDescription>Your other signed-in browsers are signed out when you change it.</CardDescription>
          </CardHeader>
          <CardContent>
            <ChangePasswordForm />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
