import { describe, expect, it } from "vitest";
import { linksInText } from "./message-links.server.ts";

const URL = "https://training.neverok.example/registrations/abc123";

describe("linksInText", () => {
  it.each([".", ",", ";", ":", "!", "?", ")", "]", "'", '"', "…", "”", "’", ").", '".', "!)", "?)"])("leaves out a trailing %s", (end) => {
    expect(linksInText(`Manage your place: ${URL}${end} Thank you`)).toEqual([URL]);
    expect(linksInText(`${URL}${end}`)).toEqual([URL]);
  });

  it("leaves out brackets, angle brackets and quotes around an address", () => {
    expect(linksInText(`(${URL})`)).toEqual([URL]);
    expect(linksInText(`[${URL}]`)).toEqual([URL]);
    expect(linksInText(`<${URL}>`)).toEqual([URL]);
    expect(linksInText(`“${URL}”`)).toEqual([URL]);
    expect(linksInText(`'${URL}'`)).toEqual([URL]);
  });

  it("keeps balanced brackets that belong to the address", () => {
    const wiki = "https://en.wikipedia.org/wiki/Consent_(law)";
    expect(linksInText(`Read ${wiki}.`)).toEqual([wiki]);
    expect(linksInText(`(see ${wiki})`)).toEqual([wiki]);
    expect(linksInText(`${wiki}, then`)).toEqual([wiki]);
  });

  it("keeps a query, a fragment and a port, and punctuation inside the address", () => {
    const full = "http://localhost:3000/feedback/s/AB-12?from=qr&x=1.5#form";
    expect(linksInText(`Give feedback at ${full}.`)).toEqual([full]);
    expect(linksInText("https://neverok.example/a:b/c.d")).toEqual(["https://neverok.example/a:b/c.d"]);
  });

  it("lists each address once, in order, and nothing that is not a web address", () => {
    const text = `First ${URL}. Again ${URL}! Then https://neverok.example/support, or email help@neverok.example or visit neverok.example; mailto:a@b.example ftp://files.example/x`;
    expect(linksInText(text)).toEqual([URL, "https://neverok.example/support"]);
  });

  it("finds nothing in text without addresses", () => {
    expect(linksInText("")).toEqual([]);
    expect(linksInText("No links here: https:// alone.")).toEqual([]);
  });
});
