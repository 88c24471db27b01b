import { describe, expect, it } from "vitest";
import { FORM_MAX_BYTES, isFormTooLarge, MAX_REQUEST_BODY_BYTES, readFormData, type FormReadOptions } from "./request-body.server.ts";

const URL_ = "http://localhost:3000/form";
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

function post(body: BodyInit | null, headers: Record<string, string> = {}) {
  return new Request(URL_, { method: "POST", body, headers, duplex: "half" } as RequestInit);
}
const urlencoded = (body: BodyInit) => post(body, { "Content-Type": "application/x-www-form-urlencoded" });

/** What readFormData threw: the status and message of its 4xx answer. */
async function refusal(request: Request, options?: FormReadOptions): Promise<{ status: number; message: string }> {
  try {
    await readFormData(request, options);
  } catch (thrown) {
    const t = thrown as { type?: string; data?: { message?: string }; init?: { status?: number } };
    if (t.type !== "DataWithResponseInit") throw thrown;
    return { status: t.init?.status ?? 0, message: t.data?.message ?? "" };
  }
  throw new Error("The form was accepted");
}

/** A body that makes up `total` bytes of "a=aaaa…" on demand and counts how much was pulled from it. */
function lazyBody(total: number, chunk = 64 * 1024) {
  const pulled = { bytes: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= total) return controller.close();
      const size = Math.min(chunk, total - pulled.bytes);
      const piece = new Uint8Array(size).fill(0x61);
      if (pulled.bytes === 0) piece.set([0x61, 0x3d]);
      pulled.bytes += size;
      controller.enqueue(piece);
    },
  });
  return { stream, pulled };
}

const entries = (form: FormData) => [...form.entries()].map(([k, v]) => [k, typeof v === "string" ? v : `file:${(v as File).name}`]);

describe("readFormData: URL-encoded forms", () => {
  it("reads fields as a browser sends them: repeats, + for space, escapes, an empty value", async () => {
    const form = await readFormData(urlencoded("name=Zo%C3%AB+Smith&tag=a&tag=b&empty=&flag&x=1%2B1%3D2"));
    expect(entries(form)).toEqual([
      ["name", "Zoë Smith"],
      ["tag", "a"],
      ["tag", "b"],
      ["empty", ""],
      ["flag", ""],
      ["x", "1+1=2"],
    ]);
  });

  it("takes an empty body and a charset of UTF-8 in any case", async () => {
    expect(entries(await readFormData(urlencoded("")))).toEqual([]);
    const form = await readFormData(post("a=1", { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" }));
    expect(form.get("a")).toBe("1");
  });

  it("leaves out U+0000, escaped or sent as it is, and keeps everything else typed around it", async () => {
    const form = await readFormData(urlencoded(bytes("name=Zo%00%C3%AB&notes=a", [0x00], "b%07c")));
    expect(entries(form)).toEqual([
      ["name", "Zoë"],
      ["notes", "ab\u0007c"],
    ]);
  });

  it("takes UTF-8 sent as it is, without escapes", async () => {
    expect((await readFormData(urlencoded(bytes("name=Zoë")))).get("name")).toBe("Zoë");
  });

  it.each([
    ["a byte that is not UTF-8", bytes("name=Zo", [0xeb])],
    ["an escape that is not UTF-8", "name=Zo%EB"],
    ["a UTF-8 sequence cut short", "name=%E2%82"],
    ["a malformed escape", "name=100%25&notes=%zz"],
    ["a lone %", "name=50%"],
    ["a malformed escape in a field name", "na%me=x"],
    ["an escaped surrogate half", "name=%ED%A0%80"],
  ])("refuses %s (400) instead of replacing it", async (_label, body) => {
    const { status, message } = await refusal(urlencoded(body));
    expect(status).toBe(400);
    expect(message).toMatch(/could not be read/);
  });
});

describe("readFormData: what is not a form", () => {
  it.each([
    ["JSON", "application/json", '{"name":"x"}'],
    ["plain text", "text/plain", "name=x"],
    ["XML", "application/xml", "<name>x</name>"],
    ["a form in another charset", "application/x-www-form-urlencoded; charset=ISO-8859-1", "name=x"],
    ["a look-alike type", "application/x-www-form-urlencodedx", "name=x"],
  ])("refuses %s with 415", async (_label, type, body) => {
    const { status, message } = await refusal(post(body, { "Content-Type": type }));
    expect(status).toBe(415);
    expect(message).toMatch(/not sent as a form/);
  });

  it("refuses a body with no content type, and none at all, with 415", async () => {
    expect((await refusal(post("name=x"))).status).toBe(415);
    expect((await refusal(new Request(URL_, { method: "POST" }))).status).toBe(415);
  });

  it("refuses a compressed body (415): it would be read as garbage", async () => {
    const request = post("name=x", { "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip" });
    expect((await refusal(request)).status).toBe(415);
  });

  it("refuses multipart where the route does not take files (415)", async () => {
    const form = new FormData();
    form.set("name", "x");
    expect((await refusal(new Request(URL_, { method: "POST", body: form }))).status).toBe(415);
  });
});

describe("readFormData: size", () => {
  it(`takes a form up to ${FORM_MAX_BYTES / 1024} KB and refuses one byte more with 413`, async () => {
    const fits = `a=${"x".repeat(FORM_MAX_BYTES - 2)}`;
    expect((await readFormData(urlencoded(fits))).get("a")).toHaveLength(FORM_MAX_BYTES - 2);
    const { status, message } = await refusal(urlencoded(`${fits}x`));
    expect(status).toBe(413);
    expect(message).toMatch(/larger than this page accepts \(64 KB\)/);
  });

  it("refuses a declared length past the limit without reading any of the body", async () => {
    const { stream, pulled } = lazyBody(50 * 1024 * 1024);
    const request = post(stream, { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(50 * 1024 * 1024) });
    expect((await refusal(request)).status).toBe(413);
    expect(pulled.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it("stops reading a 50 MB body with no declared length once it passes the limit", async () => {
    const { stream, pulled } = lazyBody(50 * 1024 * 1024);
    expect((await refusal(post(stream, { "Content-Type": "application/x-www-form-urlencoded" }))).status).toBe(413);
    expect(pulled.bytes).toBeLessThan(FORM_MAX_BYTES + 4 * 64 * 1024);
  });

  it("keeps a route's own smaller limit, and never goes past the server's", async () => {
    expect((await refusal(urlencoded(`a=${"x".repeat(2000)}`), { maxBytes: 1024 })).status).toBe(413);
    const { stream } = lazyBody(MAX_REQUEST_BODY_BYTES + 1);
    const huge = await refusal(post(stream, { "Content-Type": "application/x-www-form-urlencoded" }), { maxBytes: 2 * MAX_REQUEST_BODY_BYTES });
    expect(huge.status).toBe(413);
  });

  it("isFormTooLarge tells the size refusal from the others", async () => {
    const caught = async (request: Request) => readFormData(request, { maxBytes: 10 }).catch((t: unknown) => t);
    expect(isFormTooLarge(await caught(urlencoded("a=0123456789")))).toBe(true);
    expect(isFormTooLarge(await caught(post("{}", { "Content-Type": "application/json" })))).toBe(false);
    expect(isFormTooLarge(new Error("x"))).toBe(false);
  });
});

describe("readFormData: multipart, where the route takes files", () => {
  const B = "----formboundary7MA4YWxkTrZu0gW";
  const multipart = (body: BodyInit, boundary = B) => post(body, { "Content-Type": `multipart/form-data; boundary=${boundary}` });
  const part = (name: string, value: string | Buffer, filename?: string) =>
    bytes(
      `--${B}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: text/csv` : ""}\r\n\r\n`,
      [...(typeof value === "string" ? Buffer.from(value) : value)],
      "\r\n",
    );
  const closing = `--${B}--\r\n`;
  const MULTI = { multipart: true } as const;

  it("reads text fields and files, keeping a file's bytes as they were", async () => {
    const latin1 = Buffer.from([0x5a, 0x6f, 0xeb]); // "Zoë" in Windows-1252: not UTF-8, and fine in a file
    const form = await readFormData(multipart(Buffer.concat([part("intent", "preview"), part("file", latin1, "roster.csv"), bytes(closing)])), MULTI);
    expect(form.get("intent")).toBe("preview");
    const file = form.get("file") as File;
    expect(file.name).toBe("roster.csv");
    expect(Buffer.from(await file.arrayBuffer())).toEqual(latin1);
  });

  it("leaves U+0000 out of text fields, and a file's bytes as they were", async () => {
    const withNul = Buffer.from([0x61, 0x00, 0x62]);
    const form = await readFormData(multipart(Buffer.concat([part("name", "Zo\u0000ë"), part("file", withNul, "roster.csv"), bytes(closing)])), MULTI);
    expect(form.get("name")).toBe("Zoë");
    expect(Buffer.from(await (form.get("file") as File).arrayBuffer())).toEqual(withNul);
  });

  it("reads what a browser's FormData sends, and an empty form", async () => {
    const sent = new FormData();
    sent.set("name", "Zoë");
    sent.set("file", new File(["Name,Email\n"], "a.csv", { type: "text/csv" }));
    const form = await readFormData(new Request(URL_, { method: "POST", body: sent }), MULTI);
    expect(form.get("name")).toBe("Zoë");
    expect((form.get("file") as File).size).toBe(11);
    expect(entries(await readFormData(multipart(closing), MULTI))).toEqual([]);
  });

  it.each([
    ["no boundary in the body at all", bytes("name=x&intent=confirm")],
    ["a body cut off in the middle of a part", bytes(`--${B}\r\nContent-Disposition: form-data; name="csv"\r\n\r\nName,Email\nA,a@x`)],
    ["a body cut off before the closing boundary", Buffer.concat([part("intent", "confirm"), bytes(`--${B}\r\nContent-Disp`)])],
    ["a body without its closing boundary", part("intent", "confirm")],
    ["a part with no name", bytes(`--${B}\r\nContent-Disposition: form-data\r\n\r\nx\r\n${closing}`)],
    ["a part with no headers", bytes(`--${B}\r\n\r\nx\r\n${closing}`)],
    ["a text field that is not UTF-8", Buffer.concat([part("name", Buffer.from([0x5a, 0x6f, 0xeb])), bytes(closing)])],
  ])("refuses %s with 400", async (_label, body) => {
    const { status } = await refusal(multipart(body), MULTI);
    expect(status).toBe(400);
  });

  it("refuses a content type without a usable boundary (400)", async () => {
    expect((await refusal(post(closing, { "Content-Type": "multipart/form-data" }), MULTI)).status).toBe(400);
    expect((await refusal(multipart(closing, "x".repeat(71)), MULTI)).status).toBe(400);
  });

  it("accepts a quoted boundary", async () => {
    const request = post(Buffer.concat([part("a", "1"), bytes(closing)]), { "Content-Type": `multipart/form-data; boundary="${B}"` });
    expect((await readFormData(request, MULTI)).get("a")).toBe("1");
  });

  it("stops reading an upload past its limit (413)", async () => {
    const big = Buffer.concat([part("file", Buffer.alloc(200 * 1024, 0x41), "big.csv"), bytes(closing)]);
    expect((await refusal(multipart(big), { multipart: true, maxBytes: 100 * 1024 })).status).toBe(413);
    expect((await readFormData(multipart(big), { multipart: true, maxBytes: 300 * 1024 })).get("file")).toBeInstanceOf(File);
  });
});
