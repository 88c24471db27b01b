import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { takeTurns } from "./turns.ts";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("takeTurns", () => {
  it("starts one request per turn of the event loop, the others in the order they came", async () => {
    const gate = takeTurns();
    const started: number[] = [];
    for (let i = 0; i < 4; i++) gate({} as express.Request, {} as express.Response, () => started.push(i));
    expect(started).toEqual([0]);
    await nextTurn();
    expect(started).toEqual([0, 1]);
    await nextTurn();
    expect(started).toEqual([0, 1, 2]);
    await nextTurn();
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it("starts a request at once when nobody is waiting and none has started this turn", async () => {
    const gate = takeTurns();
    const started: string[] = [];
    gate({} as express.Request, {} as express.Response, () => started.push("a"));
    await nextTurn();
    await nextTurn();
    gate({} as express.Request, {} as express.Response, () => started.push("b"));
    expect(started).toEqual(["a", "b"]);
  });

  describe("on a busy server", () => {
    let server: http.Server | undefined;
    afterEach(async () => {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    });

    /**
     * Many connections opened at once on a server that is busy with each request for a while. Gives,
     * for each connection, how many answers the server had sent (to anyone) by the time it answered
     * that connection's first request.
     */
    async function firstAnswers(connections: number, withTurns: boolean): Promise<number[]> {
      const app = express();
      if (withTurns) app.use(takeTurns());
      let answered = 0;
      app.get("/", (_req, res) => {
        const until = performance.now() + 1;
        while (performance.now() < until); // a page's worth of work, all on the event loop
        res.end(String(++answered));
      });
      server = await new Promise<http.Server>((resolve) => {
        const s = app.listen(0, "127.0.0.1", () => resolve(s));
      });
      const port = (server.address() as AddressInfo).port;
      const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
      const get = () =>
        new Promise<number>((resolve, reject) => {
          http
            .get({ port, host: "127.0.0.1", path: "/", agent }, (res) => {
              let body = "";
              res.on("data", (c: Buffer) => (body += c.toString()));
              res.on("end", () => resolve(Number(body)));
            })
            .on("error", reject);
        });
      const firsts: number[] = [];
      // Each connection asks again as soon as it is answered, until every one has had its first answer.
      await Promise.all(
        Array.from({ length: connections }, async () => {
          firsts.push(await get());
          while (firsts.length < connections) await get();
        }),
      );
      agent.destroy();
      return firsts;
    }

    it("lets a new connection in after about one request's work, not after everyone else's many times over", async () => {
      const connections = 30;
      const firsts = await firstAnswers(connections, true);
      expect(firsts).toHaveLength(connections);
      // First come, first served: the last connection to be heard waits about one round of the others.
      expect(Math.max(...firsts)).toBeLessThanOrEqual(3 * connections);
    });
  });
});
