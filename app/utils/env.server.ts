import os from "node:os";
import addressparser from "nodemailer/lib/addressparser/index.js";
import { z } from "zod";

/** One mailbox, with or without a name ("NeverOK Training <training@neverok.example>"): never a list. */
function oneMailbox(name: string, example: string) {
  return z.string().refine(
    (value) => {
      const parsed = addressparser(value, { flatten: true });
      return parsed.length === 1 && /^[^\s@<>",;:]+@[^\s@<>",;:]+\.[^\s@<>",;:]+$/.test(parsed[0]?.address ?? "");
    },
    { error: `${name} must be one email address, such as ${example}` },
  );
}

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce
    .number({ error: "PORT must be a number from 1 to 65535" })
    .int({ error: "PORT must be a whole number from 1 to 65535" })
    .min(1, { error: "PORT must be a number from 1 to 65535" })
    .max(65535, { error: "PORT must be a number from 1 to 65535" })
    .default(3000),
  APP_URL: z.url({ protocol: /^https?$/, error: "APP_URL must be a full http:// or https:// address such as https://training.example.ac.uk" }).optional(),
  DATABASE_PATH: z.string().min(1).default("data/neverok.sqlite"),
  /** A PostgreSQL server's database; when set it is used instead of the SQLite file at DATABASE_PATH. */
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: "DATABASE_URL must be a PostgreSQL address such as postgres://user:password@db.example.ac.uk:5432/neverok" })
    .optional(),
  SESSION_SECRET: z.string().min(16, { error: "SESSION_SECRET must be at least 16 characters" }).optional(),
  MAIL_FROM: oneMailbox("MAIL_FROM", "NeverOK Training <training@neverok.example>").default("NeverOK Training <training@neverok.example>"),
  /**
   * Where people's replies go: a mailbox someone reads. It stands in Reply-To on every message, since
   * the From address (the calendar's ORGANIZER, as RFC 6047 expects) need not be one.
   */
  MAIL_REPLY_TO: oneMailbox("MAIL_REPLY_TO", "Training team <training-team@university.example.ac.uk>").default(
    "NeverOK Training team <training-team@neverok.example>",
  ),
  RESEND_API_KEY: z.string().min(1).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "SMTP_URL must look like smtps://user:pass@smtp.example.com:465" }).optional(),
  EMAIL_WORKER_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(15),
  /** The server's JavaScript heap, in MB (see serverNodeOptions); 0 leaves Node's own default. */
  SERVER_HEAP_MB: z.coerce
    .number({ error: "SERVER_HEAP_MB must be a number of megabytes, such as 192" })
    .int({ error: "SERVER_HEAP_MB must be a whole number of megabytes" })
    .refine((n) => n === 0 || (n >= 96 && n <= 16384), { error: "SERVER_HEAP_MB must be 0 (Node's default) or from 96 to 16384" })
    .default(192),
  /**
   * How many server processes serve the app, sharing its port: one per core unless set. 1 is a single
   * process with nothing in front of it; more run under a primary process that restarts any that die.
   */
  WEB_CONCURRENCY: z.coerce
    .number({ error: "WEB_CONCURRENCY must be a number of server processes, such as 2" })
    .int({ error: "WEB_CONCURRENCY must be a whole number of server processes" })
    .min(1, { error: "WEB_CONCURRENCY must be from 1 to 64 server processes" })
    .max(64, { error: "WEB_CONCURRENCY must be from 1 to 64 server processes" })
    .default(() => Math.min(64, os.availableParallelism())),
  /**
   * Whether a reverse proxy stands in front and its X-Forwarded-For / -Proto / -Host are to be
   * believed: unset or "false" trusts none; "true" trusts one hop; a number trusts that many hops;
   * otherwise a comma-separated list of proxy addresses or subnets (as Express's "trust proxy").
   */
  TRUST_PROXY: z.string().min(1).optional(),
});

export type Env = z.infer<typeof EnvSchema> & { APP_URL: string };

let cached: Env | undefined;

/** Reads and checks the environment once; a bad setting stops the app with a clear message. */
export function getEnv(): Env {
  if (cached) return cached;
  // An empty variable (KEY= in a .env file) means "not set".
  const present = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment settings:\n${lines.join("\n")}`);
  }
  const env = { ...parsed.data, APP_URL: (parsed.data.APP_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/$/, "") };
  // A deployment's sessions, flash messages and stored authenticator secrets all rest on this secret:
  // a random one at each start would sign everyone out and leave second factors unreadable.
  if (env.NODE_ENV === "production" && !isDemoInstance(env) && !env.SESSION_SECRET) {
    throw new Error(
      "Invalid environment settings:\n  SESSION_SECRET: required when APP_URL is not this machine (a deployment). " +
        "Set it to a long random value that stays the same across restarts and processes, for example the output of `openssl rand -hex 32`.",
    );
  }
  cached = env;
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache() {
  cached = undefined;
}

/**
 * A demo instance runs on this machine only (APP_URL on localhost): it may load the demo accounts,
 * whose password is published, and show the local outbox's personal links. Any other APP_URL is a
 * deployment: no demo data, no published passwords, no live links shown to staff.
 */
export function isDemoInstance(env: Pick<Env, "APP_URL"> = getEnv()): boolean {
  const host = new URL(env.APP_URL).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host.endsWith(".localhost");
}

/** Where the app's data lives: DATABASE_URL's PostgreSQL database when set, otherwise the SQLite file at DATABASE_PATH. */
export function databaseTarget(env: Pick<Env, "DATABASE_PATH" | "DATABASE_URL"> = getEnv()): string {
  return env.DATABASE_URL ?? env.DATABASE_PATH;
}

export function isProduction() {
  return getEnv().NODE_ENV === "production";
}

/**
 * Node options for the production server process. Node sizes its heap for throughput and lets it grow
 * to gigabytes before collecting in earnest, so a busy server's memory climbs far past what it uses.
 * A set heap (192 MB by default: the roster and report caches of a city-scale partnership take a few
 * tens) and an 8 MB young generation keep the whole process near 200-280 MB under load. The young
 * generation is sized for a page's garbage: a report allocates about 3.5 MB while it renders, so with
 * ten in flight a 2 MB one is collected every few milliseconds, copying what is still in use each
 * time; 8 MB halves the time spent collecting (decision 020). Options already in NODE_OPTIONS win.
 */
export function serverNodeOptions(env: Pick<Env, "SERVER_HEAP_MB">, existing = ""): string {
  if (env.SERVER_HEAP_MB === 0) return existing;
  const options = [existing.trim()];
  if (!/--max-old-space-size\b/.test(existing)) options.push(`--max-old-space-size=${env.SERVER_HEAP_MB}`);
  if (!/--max-semi-space-size\b/.test(existing)) options.push("--max-semi-space-size=8");
  return options.filter(Boolean).join(" ");
}
