/**
 * `npm run dev:sso`: the demo as `npm start` serves it, with a local identity provider beside it
 * (on 127.0.0.1, port SSO_PORT or 3400) that knows the demo's people and is registered in the app,
 * so single sign-on can be tried with no account anywhere. For a demo on this machine only.
 */
import { openConfiguredDatabase } from "#app/db.server.ts";
import { demoClient, demoIdentityAccounts, devSsoRefusal, registerDemoProvider, ssoPort, switchOffDemoProvider } from "./lib/demo-identity-provider.ts";
import { productionSettingsOrExit } from "./lib/settings.ts";
import { startApp } from "./lib/start-app.ts";

const env = productionSettingsOrExit();
function stop(message: string): never {
  console.error(message);
  process.exit(1);
}
const refusal = devSsoRefusal(env);
if (refusal) stop(refusal);
const port = ssoPort(process.env.SSO_PORT);
if (!port.ok) stop(port.message);

// Loaded once the settings are known to be right: the provider library prints its own warnings as it loads.
const { startLocalIdentityProvider } = await import("./lib/local-identity-provider.ts");
const client = demoClient(env.APP_URL);
const provider = await startLocalIdentityProvider({ accounts: demoIdentityAccounts(), clients: [client], port: port.port }).catch((error: unknown) =>
  stop(
    (error as NodeJS.ErrnoException).code === "EADDRINUSE"
      ? `Port ${port.port} is in use, so the local identity provider cannot start. Stop what uses it, or choose another port: SSO_PORT=3401 npm run dev:sso`
      : `The local identity provider could not start: ${error instanceof Error ? error.message : String(error)}`,
  ),
);

await startApp(env, {
  prepare: async (db) => {
    const registered = await registerDemoProvider(db, { issuer: provider.issuer, clientSecret: client.clientSecret });
    return [`\n${registered.name} on ${provider.issuer}`, `Sign in through ${registered.name} with any of the demo addresses and any password.`];
  },
  onStop: async () => {
    await provider.close();
    const db = openConfiguredDatabase(env);
    await switchOffDemoProvider(db);
    await db.destroy();
  },
});
