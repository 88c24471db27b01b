import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export interface RunningServer {
  baseURL: string;
  process: ChildProcess;
}

/** The settings that point the app at `database`: a PostgreSQL address, or an SQLite file. */
export function databaseEnv(database: string): { DATABASE_URL?: string; DATABASE_PATH?: string } {
  return /^postgres(ql)?:\/\//i.test(database) ? { DATABASE_URL: database } : { DATABASE_PATH: database };
}

/**
 * The production server (build/server/main.js, as `npm start` runs it) on a free port and the given
 * database (an SQLite file or a PostgreSQL address), answering once it says it is listening.
 * `onOutput` receives everything it prints.
 */
export async function startServer(opts: { database: string; onOutput?: (chunk: Buffer) => void }): Promise<RunningServer> {
  const serverMain = path.join(root, "build/server/main.js");
  if (!fs.existsSync(path.join(root, "build/server/index.js")) || !fs.existsSync(serverMain)) {
    throw new Error("No production build: run `npm run build` first (npm run test:e2e does).");
  }
  const port = await freePort();
  const baseURL = `http://localhost:${port}`;
  const { DATABASE_URL: _url, DATABASE_PATH: _path, ...inherited } = process.env;
  const server = spawn(process.execPath, [serverMain, path.join(root, "build/server/index.js")], {
    cwd: root,
    env: {
      ...inherited,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: baseURL,
      ...databaseEnv(opts.database),
      EMAIL_WORKER_INTERVAL_SECONDS: "0",
      // One process per server: the journeys that need two start a second server.
      WEB_CONCURRENCY: "1",
      RESEND_API_KEY: "",
      SMTP_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let listening = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The app did not start within 30 seconds:\n${output}`)), 30_000);
    const listen = (chunk: Buffer) => {
      opts.onOutput?.(chunk);
      if (listening) return;
      output += chunk;
      if (output.includes("is listening on")) {
        listening = true;
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout!.on("data", listen);
    server.stderr!.on("data", listen);
    server.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`The app stopped (exit code ${code}) before it was listening:\n${output}`));
    });
  });
  return { baseURL, process: server };
}
