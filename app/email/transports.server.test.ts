import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setEnvForTest } from "#tests/factories.ts";
import type { EmailMessage } from "#db/schema.ts";

const mocks = vi.hoisted(() => ({
  resendSend: vi.fn(),
  resendKeys: [] as string[],
  smtpSendMail: vi.fn(),
  smtpUrls: [] as string[],
}));

vi.mock("resend", () => ({
  Resend: class {
    emails = { send: mocks.resendSend };
    constructor(key: string) {
      mocks.resendKeys.push(key);
    }
  },
}));

vi.mock("nodemailer", () => ({
  default: {
    createTransport: (url: string) => {
      mocks.smtpUrls.push(url);
      return { sendMail: mocks.smtpSendMail };
    },
  },
}));

const { createTransportFromEnv, DeliveryError, hasDeliveryTransport, resendTransport, smtpTransport } = await import("./transports.server.ts");

function message(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    id: 41,
    ordering_key: null,
    template: "test",
    to_address: "sam@example.ac.uk",
    to_name: "Sam Taylor",
    from_address: "NeverOK Training <training@neverok.example>",
    subject: "Your session",
    message_id: "<11111111-2222-3333-4444-555555555555@neverok.example>",
    raw_mime: "From: x\r\nSubject: Your session\r\n\r\nHello\r\n",
    html: "<p>Hello</p>",
    text: "Hello",
    attachments_json: JSON.stringify([{ filename: "invite.ics", contentType: "text/calendar", size: 5, contentBase64: "QkVHSU4=" }]),
    status: "sending",
    attempts: 1,
    next_attempt_at: null,
    lease_expires_at: null,
    last_error: null,
    provider_id: null,
    created_at: "2025-10-01T10:00:00.000Z",
    sent_at: null,
    ...overrides,
  };
}

async function sendError(promise: Promise<unknown>): Promise<InstanceType<typeof DeliveryError>> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DeliveryError);
    return err as InstanceType<typeof DeliveryError>;
  }
  throw new Error("expected the send to fail");
}

const resendFailure = (statusCode: number | null, name: string, headers: Record<string, string> | null = null) => ({
  data: null,
  error: { statusCode, name, message: "x" },
  headers,
});

beforeEach(() => {
  mocks.resendSend.mockReset();
  mocks.smtpSendMail.mockReset();
  mocks.resendKeys.length = 0;
  mocks.smtpUrls.length = 0;
});

describe("resendTransport", () => {
  it("sends the stored message and returns Resend's id", async () => {
    mocks.resendSend.mockResolvedValue({ data: { id: "re_123" }, error: null, headers: {} });
    const transport = resendTransport("re_key");
    expect(transport.name).toBe("resend");
    expect(mocks.resendKeys).toEqual(["re_key"]);
    expect(await transport.send(message())).toEqual({ providerId: "re_123" });

    const [payload, options] = mocks.resendSend.mock.calls[0]!;
    expect(payload).toMatchObject({
      from: "NeverOK Training <training@neverok.example>",
      to: ["Sam Taylor <sam@example.ac.uk>"],
      replyTo: "NeverOK Training team <training-team@neverok.example>",
      subject: "Your session",
      html: "<p>Hello</p>",
      text: "Hello",
      attachments: [{ filename: "invite.ics", contentType: "text/calendar", content: "QkVHSU4=" }],
    });
    expect(options.idempotencyKey).toEqual(expect.any(String));
  });

  it("addresses a recipient without a name by address alone", async () => {
    mocks.resendSend.mockResolvedValue({ data: { id: "re_1" }, error: null, headers: {} });
    await resendTransport("k").send(message({ to_name: null }));
    expect(mocks.resendSend.mock.calls[0]![0].to).toEqual(["sam@example.ac.uk"]);
  });

  it("maps a 429 with Retry-After to a retryable error that waits that long", async () => {
    mocks.resendSend.mockResolvedValue(resendFailure(429, "rate_limit_exceeded", { "retry-after": "7" }));
    const err = await sendError(resendTransport("k").send(message()));
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(7000);
    expect(err.message).toContain("rate_limit_exceeded");
  });

  it("maps a 429 without Retry-After to a retryable error with the usual backoff", async () => {
    mocks.resendSend.mockResolvedValue(resendFailure(429, "rate_limit_exceeded"));
    const err = await sendError(resendTransport("k").send(message()));
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBeNull();
  });

  it("maps a 422 validation error to a permanent failure", async () => {
    mocks.resendSend.mockResolvedValue(resendFailure(422, "validation_error", { "retry-after": "7" }));
    const err = await sendError(resendTransport("k").send(message()));
    expect(err.retryable).toBe(false);
    expect(err.retryAfterMs).toBeNull();
    expect(err.message).toContain("validation_error");
  });

  it.each([
    [500, true],
    [503, true],
    [null, true], // no status: the request never got an answer
    [401, false],
    [403, false],
  ])("treats status %s as retryable=%s", async (status, retryable) => {
    mocks.resendSend.mockResolvedValue(resendFailure(status, "some_error"));
    expect((await sendError(resendTransport("k").send(message()))).retryable).toBe(retryable);
  });

  it("passes the same idempotency key every time the same message is tried, and a different one for another message", async () => {
    mocks.resendSend.mockResolvedValue(resendFailure(500, "application_error"));
    const transport = resendTransport("k");
    await sendError(transport.send(message()));
    await sendError(resendTransport("k").send(message({ attempts: 2 })));
    mocks.resendSend.mockResolvedValue({ data: { id: "re_9" }, error: null, headers: {} });
    await transport.send(message({ attempts: 3 }));
    await transport.send(message({ id: 42, message_id: "<other@neverok.example>" }));

    const keys = mocks.resendSend.mock.calls.map((c) => c[1].idempotencyKey as string);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[1]).toBe(keys[2]);
    expect(keys[3]).not.toBe(keys[0]);
    for (const k of keys) expect(k.length).toBeLessThanOrEqual(256);
  });
});

describe("smtpTransport", () => {
  it("sends the stored MIME byte for byte to the stored recipient", async () => {
    mocks.smtpSendMail.mockResolvedValue({ messageId: "<m@smtp>" });
    const transport = smtpTransport("smtp://user:pass@smtp.example.com:587");
    expect(transport.name).toBe("smtp");
    expect(mocks.smtpUrls).toEqual(["smtp://user:pass@smtp.example.com:587"]);
    const m = message();
    expect(await transport.send(m)).toEqual({ providerId: "<m@smtp>" });
    expect(mocks.smtpSendMail).toHaveBeenCalledWith({
      envelope: { from: "training@neverok.example", to: [m.to_address] },
      raw: m.raw_mime,
    });
  });

  it("falls back to the stored Message-ID when the server gives none", async () => {
    mocks.smtpSendMail.mockResolvedValue({});
    const m = message();
    expect(await smtpTransport("smtp://localhost").send(m)).toEqual({ providerId: m.message_id });
  });

  it.each([
    [421, true],
    [451, true],
    [550, false],
    [554, false],
    [undefined, true],
  ])("treats SMTP reply %s as retryable=%s", async (responseCode, retryable) => {
    mocks.smtpSendMail.mockRejectedValue(Object.assign(new Error(`reply ${responseCode}`), { responseCode }));
    const err = await sendError(smtpTransport("smtp://localhost").send(message()));
    expect(err.retryable).toBe(retryable);
    expect(err.message).toBe(`reply ${responseCode}`);
  });
});

describe("choosing a transport from the environment", () => {
  const restores: (() => void)[] = [];
  afterEach(() => {
    while (restores.length) restores.pop()!();
  });
  const setEnv = (smtp: string | undefined, resend: string | undefined) => {
    restores.push(setEnvForTest({ SMTP_URL: smtp, RESEND_API_KEY: resend }));
  };

  it("has none by default, so mail is held locally", () => {
    setEnv(undefined, undefined);
    expect(hasDeliveryTransport()).toBe(false);
    expect(createTransportFromEnv()).toBeNull();
  });

  it("uses Resend when only an API key is set", () => {
    setEnv(undefined, "re_abc");
    expect(hasDeliveryTransport()).toBe(true);
    expect(createTransportFromEnv()?.name).toBe("resend");
    expect(mocks.resendKeys).toEqual(["re_abc"]);
  });

  it("prefers SMTP when both are set, because it keeps the calendar part", () => {
    setEnv("smtps://u:p@smtp.example.com:465", "re_abc");
    expect(createTransportFromEnv()?.name).toBe("smtp");
    expect(mocks.smtpUrls).toEqual(["smtps://u:p@smtp.example.com:465"]);
  });
});
