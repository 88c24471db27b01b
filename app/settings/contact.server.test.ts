import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server.ts";
import { createUser } from "#tests/factories.ts";
import { expectViolation } from "#tests/rule-violations.ts";
import { contactText } from "./contact.ts";
import { CoordinatorContactSchema } from "./schemas.ts";
import { getCoordinatorContact, saveCoordinatorContact } from "./settings.server.ts";

const problems = (input: Record<string, string>) => {
  const parsed = CoordinatorContactSchema.safeParse(input);
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
};

describe("the coordinator's contact details", () => {
  it("need a name and an email address; a phone, if given, must read as one", () => {
    expect(problems({ name: "", email: "not an address", phone: "call me" })).toEqual({
      name: "Enter a name",
      email: "Enter an email address like name@example.ac.uk",
      phone: "Enter a phone number like 0113 496 0000",
    });
    expect(problems({ name: "Alex Morgan", email: "training@neverok.example", phone: "12" })).toHaveProperty("phone");
    expect(CoordinatorContactSchema.parse({ name: " Alex Morgan ", email: "Training@NeverOK.example", phone: "" })).toEqual({
      name: "Alex Morgan",
      email: "training@neverok.example",
      phone: null,
    });
    expect(CoordinatorContactSchema.parse({ name: "Alex", email: "a@b.example", phone: "+44 (0)113 496-0000" }).phone).toBe("+44 (0)113 496-0000");
  });

  it("are saved by a coordinator only, and read back as one phrase", async () => {
    const db = getDb();
    const booker = await createUser(db, { roles: ["booker"] });
    await expectViolation(saveCoordinatorContact(db, booker, { name: "Mallory", email: "m@evil.example" }), "form", /Only a coordinator/);
    const coordinator = await createUser(db, { roles: ["coordinator"] });
    await saveCoordinatorContact(db, coordinator, { name: "Alex Morgan", email: "training@neverok.example", phone: "0113 496 0000" });
    const contact = await getCoordinatorContact(db);
    expect(contactText(contact)).toBe("Alex Morgan (training@neverok.example, 0113 496 0000)");
    expect(contactText(null)).toBe("the training coordinator");
  });
});
