import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "#seed/demo.ts";
import { PASSPHRASE_ADVICE } from "./password-advice.ts";
import { passwordProblem } from "./password-strength.server.ts";

const PERSON = { name: "Alex Morgan", email: "alex.morgan@uni.example.ac.uk" };

describe("passwordProblem", () => {
  it.each([
    ["a very common password", "password123"],
    ["a common password with a symbol", "Password1234!"],
    ["a keyboard row", "qwertyuiop12"],
    ["a repeated word", "summer2026summer"],
    ["the product name", "neverok2026!"],
    ["the product name in words", "NeverOK Training 2026!"],
    ["the demo's published password", DEMO_PASSWORD],
    ["the person's name and a year", "alexmorgan1990"],
    ["the person's name with spaces", "Alex Morgan 2026"],
    ["the person's surname and initials", "Morgan.Alex.99"],
    ["the person's email address", "alex.morgan@uni.example.ac.uk"],
    ["the person's name and the product", "alex-morgan-neverok"],
    ["a football club and a year", "Liverpool2026!!"],
    ["three common words", "orange tiger pillow"],
  ])("refuses %s", async (_label, password) => {
    const problem = await passwordProblem(password, PERSON);
    expect(problem).toContain("too easy to guess");
    expect(problem).toContain(PASSPHRASE_ADVICE);
  });

  it.each([
    ["a four-word passphrase", "harbour violin pepper orbit"],
    ["a short odd sentence", "my cat is called fluffy"],
    ["a random string", "Kx9!mQ2#vL7p"],
    ["a hyphenated passphrase", "marble-sunrise-kettle-moss"],
  ])("accepts %s", async (_label, password) => {
    expect(await passwordProblem(password, PERSON)).toBeNull();
  });

  it("says when the password is mostly the person's own details", async () => {
    expect(await passwordProblem("alex-morgan-neverok", PERSON)).toContain("your name, your email address or the name of this site");
  });

  it("judges a password that would be fine for someone else as too easy for the person it names", async () => {
    const password = "zephyrine quillfeather";
    expect(await passwordProblem(password, { name: "Someone Else", email: "someone@example.ac.uk" })).toBeNull();
    expect(await passwordProblem(password, { name: "Zephyrine Quillfeather", email: "zq@example.ac.uk" })).not.toBeNull();
  });

  it("judges only the first 40 characters, so its cost is bounded however long the password", async () => {
    // Strong only after the 40th character: refused, because nothing after it is looked at.
    expect(await passwordProblem("a".repeat(40) + "Xq7!vL9#pR2$mK8&wZ4 tundra marmalade", PERSON)).not.toBeNull();
    expect(await passwordProblem("Xq7!vL9#pR2$mK8&wZ4 tundra marmalade" + "a".repeat(160), PERSON)).toBeNull();
  });
});
