import { createRequire } from "node:module";
import * as esm from "turbo-stream";
import type { EncodePlugin } from "turbo-stream";
import { describe, expect, test } from "vitest";

/**
 * Every page's loader data goes to the browser as turbo-stream text, made by its `encode`.
 * patches/turbo-stream+2.4.1.patch makes that text with less work (no closure, array or join per
 * key); the text must stay exactly what the published turbo-stream 2.4.1 writes, or the browser's
 * `decode` would read something else. The expected text below was written by the published build.
 */

class Venue {
  room = "G.01";
}

function sample() {
  const shared = { id: 7, name: "Zoë “Z” <b>", tags: ["a", "b", "a"] };
  const nullProto = Object.create(null) as Record<string, unknown>;
  nullProto.kind = "count";
  const root: Record<string, unknown> = {
    figures: [
      { kind: "count", n: 12 },
      { kind: "count", n: 12 },
      { kind: "share", part: 3, whole: 4 },
    ],
    shared,
    again: shared,
    list: [shared, shared],
    numbers: [0, -0, 1.5, -7, NaN, Infinity, -Infinity, 10n],
    // eslint-disable-next-line no-sparse-arrays
    empty: [, 1, ,],
    nothing: null,
    missing: undefined,
    yes: true,
    no: false,
    text: 'line\nbreak\u2028"quote"',
    when: new Date(Date.UTC(2026, 2, 29, 0, 30)),
    url: new URL("https://neverok.example/sessions?x=1&y=é"),
    pattern: /neverok-(\d+)/giu,
    set: new Set(["a", shared, 1]),
    noSet: new Set(),
    map: new Map<unknown, unknown>([
      ["k", shared],
      [2, "two"],
    ]),
    noMap: new Map(),
    symbol: Symbol.for("neverok"),
    nullProto,
    venue: new Venue(),
    error: new TypeError("bad"),
    later: Promise.resolve({ id: 7, done: true }),
    failed: Promise.reject(new Error("no")),
  };
  root.self = root;
  return root;
}

// As Remix's own: errors by a plugin, class instances and what is left by the plugins that come after.
const plugins: EncodePlugin[] = [(value: unknown) => (value instanceof Error ? ["SanitizedError", value.name, value.message, undefined] : undefined)];
const postPlugins: EncodePlugin[] = [
  (value: unknown) => (value && typeof value === "object" ? ["SingleFetchClassInstance", Object.fromEntries(Object.entries(value))] : undefined),
  () => ["SingleFetchFallback"],
];

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  let out = "";
  const decoder = new TextDecoder();
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) out += decoder.decode(chunk, { stream: true });
  return out;
}

const PUBLISHED = [
  '[{"_1":2,"_15":16,"_25":16,"_26":27,"_28":29,"_34":35,"_37":-5,"_38":-7,"_39":40,"_41":42',
  ',"_43":44,"_45":46,"_47":48,"_49":50,"_51":52,"_53":54,"_55":56,"_60":61,"_62":63,"_64":65',
  ',"_66":67,"_71":72,"_75":76,"_77":78,"_79":80},"figures",[3,8,9],{"_4":5,"_6":7},"kind","count"',
  ',"n",12,{"_4":5,"_6":7},{"_4":10,"_11":12,"_13":14},"share","part",3,"whole",4,"shared"',
  ',{"_17":18,"_19":20,"_21":22},"id",7,"name","Zoë “Z” <b>","tags",[23,24,23],"a","b","again"',
  ',"list",[16,16],"numbers",[30,30,31,32,-2,-6,-3,33],0,1.5,-7,["B","10"],"empty",[-1,36,-1],1',
  ',"nothing","missing","yes",true,"no",false,"text","line\\nbreak\u2028\\"quote\\"","when",["D"',
  ',1774744200000],"url",["U","https://neverok.example/sessions?x=1&y=%C3%A9"],"pattern",["R"',
  ',"neverok-(\\\\d+)","giu"],"set",["S",23,16,36],"noSet",["S"],"map",["M",57,16,58,59],"k",2,"two"',
  ',"noMap",["M"],"symbol",["Y","neverok"],"nullProto",["N",{"_4":5}],"venue"',
  ',["SingleFetchClassInstance",68],{"_69":70},"room","G.01","error",["SanitizedError",73,74,-7]',
  ',"TypeError","bad","later",["P",76],"failed",["P",78],"self",{"_1":2,"_15":16,"_25":16,"_26":27',
  ',"_28":29,"_34":35,"_37":-5,"_38":-7,"_39":40,"_41":42,"_43":44,"_45":46,"_47":48,"_49":50',
  ',"_51":52,"_53":54,"_55":56,"_60":61,"_62":63,"_64":65,"_66":67,"_71":72,"_75":76,"_77":78',
  ',"_79":80}]\n',
  'P76:[{"_17":18,"_82":40},"done"]\n',
  'E78:[["SanitizedError",84,41,-7],"Error"]\n',
].join("");

// The server loads turbo-stream's CommonJS build; an ES module import gets its bundle. Both are patched.
const cjs = createRequire(import.meta.url)("turbo-stream") as typeof esm;

describe.each([
  ["CommonJS build", cjs],
  ["ES module build", esm],
])("turbo-stream's encode, %s", (_build, { encode, decode }) => {
  test("writes the same text as the published turbo-stream 2.4.1, value for value", async () => {
    expect(await text(encode(sample(), { plugins, postPlugins }))).toBe(PUBLISHED);
  });

  test("what it writes reads back as it was, shared values shared", async () => {
    const shared = { id: 1, label: "Active Bystander", when: new Date(Date.UTC(2026, 9, 25, 1, 30)) };
    const value = { rows: [shared, shared, { id: 2, label: "Consent", when: null }], byId: new Map([[1, shared]]), ids: new Set([1, 2]), none: undefined };
    const decoded = await decode(encode(value));
    const back = decoded.value as typeof value;
    expect(back).toEqual(value);
    expect(back.rows[0]).toBe(back.rows[1]);
    expect(back.byId.get(1)).toBe(back.rows[0]);
  });
});
