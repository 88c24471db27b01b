import type { NearMiss } from "./near-misses.server.ts";

/** Why a near-miss is shown to an officer: the name matches, the email and student ID do not. */
export function whyShown(m: Pick<NearMiss, "personName" | "registeredName" | "registeredEmail" | "registeredStudentId">): string {
  const name = m.registeredName.trim() === m.personName.trim() ? "Same name" : "Same name, written differently";
  const email = m.registeredEmail ? "different email" : "no email on the register";
  const studentId = m.registeredStudentId ? "different student ID" : "no student ID on the register";
  return `${name}, ${email}, ${studentId}`;
}

/** The session's title, with its course when the title does not say it. */
export function sessionName(m: Pick<NearMiss, "sessionTitle" | "courseName">): string {
  return m.sessionTitle.includes(m.courseName) ? m.sessionTitle : `${m.sessionTitle} (${m.courseName})`;
}
