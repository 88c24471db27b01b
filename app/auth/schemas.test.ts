import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { ChangePasswordSchema, ConfirmSecondFactorSchema, SecondFactorCodeSchema, SetPasswordSchema, SignInSchema } from "./schemas.ts";

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.set(k, v);
  return data;
};
const errorsOf = (result: { status?: string; error?: Record<string, string[] | null> | null }) => (result.status === "error" ? result.error : {});

describe("the sign-in form", () => {
  it("asks for the password, and keeps a return address only on this site", () => {
    expect(errorsOf(parseWithZod(form({ email: "ana@example.ac.uk", password: "" }), { schema: SignInSchema }))).toEqual({
      password: ["Enter your password"],
    });
    const ok = parseWithZod(form({ email: "Ana@Example.ac.uk", password: "x", redirectTo: "https://evil.example/" }), { schema: SignInSchema });
    expect(ok.status === "success" && ok.value).toEqual({ email: "ana@example.ac.uk", password: "x", redirectTo: "/" });
  });
});

describe("choosing a password", () => {
  it("needs the same password twice, and says so beside the second", () => {
    const result = parseWithZod(form({ password: "velvet thunder pantry", confirm: "velvet thunder pantrx" }), { schema: SetPasswordSchema });
    expect(errorsOf(result)).toEqual({ confirm: ["The two passwords are different"] });
  });

  it("on the account page, needs the current password and the new one twice", () => {
    const result = parseWithZod(form({ currentPassword: "", newPassword: "short", confirmNewPassword: "other" }), { schema: ChangePasswordSchema });
    expect(errorsOf(result)).toMatchObject({ currentPassword: ["Enter your current password"], newPassword: ["Use at least 10 characters"] });
    const mismatch = parseWithZod(form({ currentPassword: "old one", newPassword: "velvet thunder pantry", confirmNewPassword: "velvet thunder" }), {
      schema: ChangePasswordSchema,
    });
    expect(errorsOf(mismatch)).toEqual({ confirmNewPassword: ["The two new passwords are different"] });
  });
});

describe("second-factor codes", () => {
  it("are trimmed, and refused when empty or longer than any code", () => {
    const ok = parseWithZod(form({ code: " 123 456 " }), { schema: SecondFactorCodeSchema });
    expect(ok.status === "success" && ok.value.code).toBe("123 456");
    expect(errorsOf(parseWithZod(form({ code: "  " }), { schema: SecondFactorCodeSchema }))).toEqual({ code: ["Enter the code"] });
    expect(errorsOf(parseWithZod(form({ code: "1".repeat(65) }), { schema: SecondFactorCodeSchema }))).toEqual({ code: ["That is too long to be a code"] });
  });

  it("turning it on needs the first code; the password is asked for by the server, unless a provider signed the person in", () => {
    expect(errorsOf(parseWithZod(form({ intent: "confirm", code: "", currentPassword: "" }), { schema: ConfirmSecondFactorSchema }))).toEqual({
      code: ["Enter the code your app shows"],
    });
  });
});
