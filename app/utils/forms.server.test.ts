import { describe, expect, it } from "vitest";
import { findByParam } from "./forms.server.ts";

const ROOMS = new Map([[3, { id: 3, name: "Library Room 2" }]]);
const asked: number[] = [];
const findRoom = async (id: number) => {
  asked.push(id);
  return ROOMS.get(id);
};

/** What a loader throws, as the page would get it: its status and message. */
async function thrownBy(param: string | undefined) {
  try {
    await findByParam(param, findRoom, "We could not find that room.");
  } catch (thrown) {
    const answer = thrown as { data: { message: string }; init: { status: number } };
    return { status: answer.init.status, message: answer.data.message };
  }
  throw new Error(`findByParam(${param}) did not refuse`);
}

describe("the record a route parameter names", () => {
  it("is found by its id", async () => {
    expect(await findByParam("3", findRoom, "We could not find that room.")).toEqual({ id: 3, name: "Library Room 2" });
  });

  it("is the same 404 for an id that names nothing and for one that is not an id", async () => {
    const expected = { status: 404, message: "We could not find that room." };
    asked.length = 0;
    for (const param of ["4", "0", "-3", "3.5", "3abc", "", undefined]) expect(await thrownBy(param)).toEqual(expected);
    // Only a real id is looked up.
    expect(asked).toEqual([4]);
  });
});
