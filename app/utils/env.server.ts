import { z } from "zod";
import { DEFAULT_DATABASE_PATH } from "#db/connection.ts";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce
    .number({ error: "PORT must be a number from 1 to 65535" })
    .int({ error: "PORT must be a whole number from 1 to 65535" })
    .min(1, { error: "PORT must be a number from 1 to 65535" })
    .max(65535, { error: "PORT must be a number from 1 to 65535" })
    .default(3000),
  APP_URL: z
    .url({ protocol: /^https?$/, error: "APP_URL must be a full http:// or https:// address such as https://training.example.ac.uk" })
    .optional(),
  DATABASE_PATH: z.string().min(1).default(DEFAULT_DATABASE_PATH),
  SESSION_SECRET: z.string().min(16, { error: "SESSION_SECRET must be at least 16 characters" }).optional(),
  MAIL_FROM: z.string().min(3).default("NeverOK Training <training@neverok.example>"),
  RESEND_API_KEY: z.string().min(1).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "SMTP_URL must look like smtps://user:pass@smtp.example.com:465" }).optional(),
  EMAIL_WORKER_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(15),
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
  const env = parsed.data;
  cached = { ...env, APP_URL: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "") };
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache() {
  cached = undefined;
}

export function isProduction() {
  return getEnv().NODE_ENV === "production";
}
