import crypto from "node:crypto";
import type { Kysely } from "kysely";
import { recordAudit } from "#app/audit/audit.server.ts";
import { emailDomain, sealClientSecret } from "#app/auth/sso/providers.server.ts";
import { isDemoInstance, type Env } from "#app/utils/env.server.ts";
import { nowIso } from "#app/utils/time.ts";
import type { Database } from "#db/schema.ts";
import { writeTransaction } from "#db/transaction.ts";
import { demoPeople } from "#seed/demo.ts";
import type { LocalAccount, LocalClient } from "./local-identity-provider.ts";

/**
 * The demo's own identity provider (`npm run dev:sso`): the local provider, knowing the demo's people,
 * registered in the app as a provider for their domains, so anyone can try single sign-on on their
 * own machine. It signs in anyone who types a demo address, with any password: a demo only.
 */
export const DEMO_PROVIDER = { slug: "local", name: "Local identity provider (demo)", clientId: "neverok-training-demo" } as const;
export const DEFAULT_SSO_PORT = 3400;

/** The demo's people as the provider knows them; the subject is the address's local part, the same on every start. */
export function demoIdentityAccounts(): LocalAccount[] {
  return demoPeople().map((p) => ({ sub: p.email.slice(0, p.email.indexOf("@")), email: p.email, name: p.name }));
}

/** The domains of the demo's people, which the demo provider signs in. */
export function demoDomains(): string[] {
  return [...new Set(demoPeople().map((p) => emailDomain(p.email)))].sort();
}

/** The app as a client of the demo provider, with a new secret for this run. */
export function demoClient(appUrl: string): LocalClient {
  return { clientId: DEMO_PROVIDER.clientId, clientSecret: crypto.randomBytes(24).toString("base64url"), appUrl, slugs: [DEMO_PROVIDER.slug] };
}

/** Why `npm run dev:sso` must not run with these settings; null when it may. */
export function devSsoRefusal(env: Pick<Env, "APP_URL">): string | null {
  if (isDemoInstance(env)) return null;
  return [
    `npm run dev:sso is for the local demo only: its identity provider signs in anyone who types a demo address, with any password, so it will not run for ${env.APP_URL}.`,
    "Leave APP_URL unset to try single sign-on on this machine. For a deployment, register your institution's provider on the coordinator's Sign-in page (see the README).",
  ].join("\n");
}

/** SSO_PORT as a port number; a message when it is not one. */
export function ssoPort(value: string | undefined): { ok: true; port: number } | { ok: false; message: string } {
  if (value === undefined || value.trim() === "") return { ok: true, port: DEFAULT_SSO_PORT };
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, message: `SSO_PORT must be a whole number from 1 to 65535, not "${value}".` };
  return { ok: true, port };
}

/**
 * Adds the demo provider, or brings it up to date with this run: its address (the port may have
 * changed) and client secret, and switched on. The name, domains and rules stay as the coordinator
 * last set them.
 */
export async function registerDemoProvider(
  db: Kysely<Database>,
  run: { issuer: string; clientSecret: string; clientId?: string },
): Promise<{ id: number; name: string; added: boolean }> {
  return writeTransaction(db, async (trx) => {
    const at = nowIso();
    const clientId = run.clientId ?? DEMO_PROVIDER.clientId;
    const existing = await trx.selectFrom("sign_in_providers").select("id").where("slug", "=", DEMO_PROVIDER.slug).executeTakeFirst();
    const id =
      existing?.id ??
      (
        await trx
          .insertInto("sign_in_providers")
          .values({
            slug: DEMO_PROVIDER.slug,
            name: DEMO_PROVIDER.name,
            issuer_url: run.issuer,
            client_id: clientId,
            email_domains: demoDomains().join(" "),
            sso_required: 0,
            bookers_may_join: 0,
            trusts_provider_second_factor: 0,
            is_enabled: 1,
            created_at: at,
            updated_at: at,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    await trx
      .updateTable("sign_in_providers")
      .set({ issuer_url: run.issuer, client_id: clientId, client_secret_sealed: sealClientSecret(id, run.clientSecret), is_enabled: 1, updated_at: at })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actorUserId: null,
      action: existing ? "sso.provider_updated" : "sso.provider_added",
      entityType: "sign_in_provider",
      entityId: id,
      summary: `${DEMO_PROVIDER.name} ${existing ? "now answers" : "added"} at ${run.issuer}, for trying single sign-on (npm run dev:sso)`,
      detail: { slug: DEMO_PROVIDER.slug, issuer: run.issuer },
    });
    const { name } = await trx.selectFrom("sign_in_providers").select("name").where("id", "=", id).executeTakeFirstOrThrow();
    return { id, name, added: !existing };
  });
}

/**
 * When `npm run dev:sso` stops, its provider stops answering: the button goes from the sign-in page
 * (until the next run switches it on again) rather than lead to a provider that is not there.
 */
export async function switchOffDemoProvider(db: Kysely<Database>): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const switched = await trx
      .updateTable("sign_in_providers")
      .set({ is_enabled: 0, updated_at: nowIso() })
      .where("slug", "=", DEMO_PROVIDER.slug)
      .where("is_enabled", "=", 1)
      .returning(["id", "name"])
      .executeTakeFirst();
    if (!switched) return;
    await recordAudit(trx, {
      actorUserId: null,
      action: "sso.provider_updated",
      entityType: "sign_in_provider",
      entityId: switched.id,
      summary: `${switched.name} switched off: npm run dev:sso, which runs it, has stopped`,
      detail: { slug: DEMO_PROVIDER.slug, isEnabled: false },
    });
  });
}
