import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { isSetupRequired } from "@/lib/auth/setup";
import { db } from "@/lib/db";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Create the first administrator" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  // Setup exists only on a fresh install; afterwards this page is just a way to sign in.
  if (!(await isSetupRequired(db()))) redirect("/login");
  return (
    <Card>
      <CardHeader>
        <h1 className="text-xl font-semibold text-slate-900">Welcome to Spoolcast</h1>
        <CardDescription>
          Create the first administrator account. There is no default password: this account is how you sign in from now on, and
          it can invite everyone else.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <SetupForm />
      </CardContent>
    </Card>
  );
}
