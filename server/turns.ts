import type { NextFunction, Request, Response } from "express";

/**
 * Requests take turns: at most one starts on each turn of the event loop, the rest wait in the
 * order they came.
 *
 * Node accepts one new connection per turn of the event loop (libuv since 1.46), and one turn runs
 * every request that has arrived on the connections it already has. Under load a turn is long (50
 * open connections, 50 pages of work), so a newcomer waits a long turn to be let in, then another to
 * be heard, while the connections already open are served again and again: at 50 connections the
 * first page on each new connection took up to 15 times the others. Starting one request per turn
 * keeps each turn about one page long, so a new connection is let in after at most one page's work
 * and then waits its turn like everyone else, first come first served. The work itself is not held
 * back: a request that has started runs to its end as before, and the server is never idle while
 * someone waits.
 */
export function takeTurns() {
  const waiting: NextFunction[] = [];
  // Whether a request has started on this turn. While one has, the next turn is scheduled, and only
  // then can anyone be waiting.
  let startedThisTurn = false;

  const start = (next: NextFunction) => {
    startedThisTurn = true;
    // An immediate runs after the turn's network events, and one set in it runs on the next turn:
    // between the two, the event loop polls the network again, which is where it accepts a connection.
    setImmediate(nextTurn);
    next();
  };

  function nextTurn() {
    startedThisTurn = false;
    const next = waiting.shift();
    if (next) start(next);
  }

  return (_req: Request, _res: Response, next: NextFunction) => {
    if (startedThisTurn) waiting.push(next);
    else start(next);
  };
}
