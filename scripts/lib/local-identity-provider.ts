import http from "node:http";
import type { AddressInfo } from "node:net";
import { generateKeyPairSync } from "node:crypto";
import Provider, { type Configuration } from "oidc-provider";

/**
 * A real OpenID Connect provider (oidc-provider) on 127.0.0.1, for the tests and for trying single
 * sign-on without an account anywhere. Its sign-in page lists nobody: you type an account's
 * username or email address, any password, and say whether you used a second factor.
 */
export interface LocalAccount {
  /** The provider's subject: stable, whatever the email address becomes. */
  sub: string;
  email: string;
  name: string;
  /** False: the provider does not vouch for the address (it is not verified there). */
  emailVerified?: boolean;
}

export interface LocalClient {
  clientId: string;
  clientSecret: string;
  /** The app's address, e.g. http://localhost:3000: its callback and sign-out return are registered from it. */
  appUrl: string;
  /** Slugs of the app's providers that use this client; the callback is /auth/sso/<slug>/callback. */
  slugs: string[];
}

export interface LocalIdentityProvider {
  issuer: string;
  /** Change an account as the provider would (e.g. a new email address), or add one. */
  accounts: Map<string, LocalAccount>;
  close(): Promise<void>;
}

export async function startLocalIdentityProvider(opts: {
  accounts: LocalAccount[];
  clients: LocalClient[];
  port?: number;
  /** How long an ID token is good for, in seconds (the provider's default is an hour). */
  idTokenSeconds?: number;
}): Promise<LocalIdentityProvider> {
  const accounts = new Map(opts.accounts.map((a) => [a.sub, a]));
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const configuration: Configuration = {
    clients: opts.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      client_name: "NeverOK Training",
      redirect_uris: c.slugs.map((slug) => `${c.appUrl}/auth/sso/${slug}/callback`),
      post_logout_redirect_uris: [`${c.appUrl}/login`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    })),
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), alg: "RS256", use: "sig", kid: "local" }] },
    cookies: { keys: ["a local identity provider for development and tests"] },
    claims: { openid: ["sub", "amr"], email: ["email", "email_verified"], profile: ["name"] },
    // Real providers (Entra ID, Google) put the email address in the ID token; so does this one.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: { IdToken: opts.idTokenSeconds ?? 3600, AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = page(
            "Sign out",
            `<h1>Sign out of the local identity provider?</h1>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>`,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = page("Signed out", "<h1>You have signed out of the local identity provider.</h1>");
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: account.email, email_verified: account.emailVerified ?? true, name: account.name }),
      };
    },
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = page("Error", `<h1>The identity provider refused</h1><p>${escapeHtml(String(out.error_description ?? out.error))}</p>`);
    },
  };
  const provider = new Provider(issuer, configuration);
  const oidc = provider.callback();

  server.on("request", (req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/abort)?$/.exec(new URL(req.url ?? "/", issuer).pathname);
    if (!match) return void oidc(req, res);
    interaction(provider, accounts, req, res, Boolean(match[2])).catch((error: unknown) => {
      res.statusCode = 400;
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.end(page("Error", `<h1>That sign-in cannot go on</h1><p>${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`));
    });
  });

  return {
    issuer,
    accounts,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The provider's own screens: sign in (any password), consent given at once, or cancel. */
async function interaction(provider: Provider, accounts: Map<string, LocalAccount>, req: http.IncomingMessage, res: http.ServerResponse, abort: boolean) {
  const details = await provider.interactionDetails(req, res);
  if (abort) {
    await provider.interactionFinished(
      req,
      res,
      { error: "access_denied", error_description: "The person cancelled signing in" },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (details.prompt.name === "consent") {
    const grant = new provider.Grant({ accountId: details.session?.accountId, clientId: String(details.params.client_id) });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    return;
  }
  if (req.method === "POST") {
    const form = new URLSearchParams(await readBody(req));
    const login = (form.get("login") ?? "").trim().toLowerCase();
    const account = [...accounts.values()].find((a) => a.sub.toLowerCase() === login || a.email.toLowerCase() === login);
    if (account) {
      const amr = form.get("second_factor") === "yes" ? ["pwd", "mfa"] : ["pwd"];
      await provider.interactionFinished(req, res, { login: { accountId: account.sub, amr } }, { mergeWithLastSubmission: false });
      return;
    }
    return void sendSignInPage(res, details.uid, login, "No account here has that username or email address.");
  }
  sendSignInPage(res, details.uid, "", null);
}

function sendSignInPage(res: http.ServerResponse, uid: string, login: string, error: string | null) {
  res.statusCode = error ? 400 : 200;
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.end(
    page(
      "Sign in",
      `<h1>Local identity provider</h1>
<p>For trying single sign-on: type an account's username or email address and any password.</p>
<form method="post" action="/interaction/${uid}">
${error ? `<p role="alert" id="login-error">${escapeHtml(error)}</p>` : ""}
<label for="login">Username or email address</label>
<input id="login" name="login" autocomplete="username" value="${escapeHtml(login)}"${error ? ' aria-describedby="login-error" aria-invalid="true"' : ""} required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<label><input type="checkbox" name="second_factor" value="yes"> I also confirmed it with my second factor</label>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>`,
    ),
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Local identity provider</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1f2937}label{display:block;margin-top:1rem}input:not([type=checkbox]){display:block;width:100%;padding:.5rem;border:1px solid #4b5563;border-radius:.25rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem;border:1px solid #1e3a8a;background:#1e3a8a;color:#fff;border-radius:.25rem}form+form button{background:#fff;color:#1e3a8a}:focus-visible{outline:3px solid #b45309;outline-offset:2px}[role=alert]{color:#991b1b}</style>
</head><body><main>${body}</main></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) throw new Error("That form is too large.");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
