import { afterEach, describe, expect, it, vi } from "vitest";
import { setEnvForTest } from "#tests/factories.ts";

type FlashModule = typeof import("./flash.server.ts");

/** The flash module as a separate server process has it: loaded afresh, with nothing of another's memory. */
async function serverProcess(): Promise<FlashModule> {
  vi.resetModules();
  return import("./flash.server.ts");
}

async function setBy(server: FlashModule, message: string): Promise<Request> {
  const setCookie = await server.flashHeader({ kind: "success", message });
  return new Request("http://localhost:3000/", { headers: { Cookie: setCookie.split(";")[0]! } });
}

const restores: (() => void)[] = [];
afterEach(() => {
  while (restores.length) restores.pop()!();
});

describe("the flash message across server processes", () => {
  it("set by one process on a local demo, is read by another started beside it", async () => {
    restores.push(setEnvForTest({ SESSION_SECRET: undefined, NEVEROK_LOCAL_FLASH_SECRET: undefined }));
    // The process that starts the others makes the secret first, as server/main.ts does.
    (await serverProcess()).localFlashSecret();
    const request = await setBy(await serverProcess(), "Saved the room.");
    expect((await (await serverProcess()).readFlash(request)).flash).toEqual({ kind: "success", message: "Saved the room." });
  });

  it("set by one process of a deployment, is read by another", async () => {
    restores.push(setEnvForTest({ SESSION_SECRET: "a-deployment-secret-of-enough-length", NEVEROK_LOCAL_FLASH_SECRET: undefined }));
    const request = await setBy(await serverProcess(), "Request sent.");
    expect((await (await serverProcess()).readFlash(request)).flash).toEqual({ kind: "success", message: "Request sent." });
  });

  it("is not believed when signed with another secret, so nobody can plant text on a page", async () => {
    restores.push(setEnvForTest({ SESSION_SECRET: "a-deployment-secret-of-enough-length" }));
    const request = await setBy(await serverProcess(), "Planted text.");
    restores.push(setEnvForTest({ SESSION_SECRET: "another-deployment-secret-entirely" }));
    expect((await (await serverProcess()).readFlash(request)).flash).toBeNull();
  });
});
