import crypto from "node:crypto";
import { sql, type SqlBool } from "kysely";
import type { Db } from "#db/schema.ts";
import { writeTransaction } from "#app/utils/transaction.server.ts";
import { recordAudit } from "#app/audit/audit.server.ts";
import type { SessionUser } from "#app/auth/session.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { RuleViolation } from "#app/utils/errors.ts";
import { nowIso } from "#app/utils/time.ts";
import { identifyPerson, normaliseEmail } from "./identity.server.ts";
import { mentionableName } from "./person-data.server.ts";
import { eraseStaffRecords } from "./staff-data.server.ts";
import { likeNeedles, mentions, needleBatches, replaceForms, storedForms, type StoredReplacement } from "./stored-forms.ts";
import { containsPattern, ERASED_BODY, ERASED_NAME, MENTION_REMOVED_MIME, PLACEHOLDER_DOMAIN } from "./tables.ts";
import { plural } from "#app/utils/plural.ts";
import { ERASED_EXEMPTION } from "./training-records.ts";

export interface ErasureReport {
  registrations: number;
  leaderRoles: number;
  /** Entries on venues' and staff teams' staff lists. */
  staffEntries: number;
  account: boolean;
  emails: number;
  auditEntries: number;
  tokensDeleted: number;
  signInSessionsEnded: number;
  /** Free-text fields elsewhere (other people's messages, notes, the audit log) where their name or address was replaced. */
  mentionsRedacted: number;
}

export function describeErasure(r: ErasureReport): string {
  const parts = [
    r.account ? "an account" : null,
    r.registrations ? plural(r.registrations, "registration") : null,
    r.leaderRoles ? plural(r.leaderRoles, "leader role") : null,
    r.staffEntries ? plural(r.staffEntries, { one: "staff-list entry", other: "staff-list entries" }) : null,
    r.emails ? plural(r.emails, "email") : null,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no records, mentions only";
}

/**
 * Removes everything that identifies the person with this email address, in one transaction, and
 * keeps every row that a report counts: registrations and attendance stay (so the impact report's
 * people, attendances and leader compliance do not move), feedback answers are untouched, and the
 * audit log records that an erasure happened without recording whose.
 *
 * Each identifier becomes a random placeholder used consistently (the same one on their
 * registrations and roster entry), so counts of distinct people and roster matches stay as they
 * were while nothing leads back to the person.
 */
export async function erasePerson(db: Db, actor: SessionUser, rawEmail: string, confirmation: string): Promise<ErasureReport> {
  const email = normaliseEmail(rawEmail);
  if (!email || normaliseEmail(confirmation) !== email) {
    throw new RuleViolation("confirmEmail", "Type the email address exactly as above to confirm");
  }
  return writeTransaction(db, async (trx) => {
    const who = await identifyPerson(trx, email);
    const mentioned = await mentionsAnywhere(trx, [email, ...who.emailSpellings]);
    if (!who.userId && !who.leaderId && !who.staffMemberIds.length && who.registrationIds.length === 0 && !mentioned) {
      throw new RuleViolation("form", "Nothing is held about that email address, so there is nothing to erase.");
    }
    if (who.userId === actor.id) throw new RuleViolation("form", "You cannot erase your own account. Ask another coordinator.");
    await refuseWhileBooked(trx, who.registrationIds, who.userId);

    const at = nowIso();
    const token = crypto.randomBytes(6).toString("hex");
    const placeholder = (n: number) => `erased-${token}${n > 1 ? `-${n}` : ""}@${PLACEHOLDER_DOMAIN}`;
    const studentPlaceholder = (n: number) => `ERASED-${token.toUpperCase()}${n > 1 ? `-${n}` : ""}`;

    // One placeholder per address or student ID they were counted under, the searched address first.
    const regs = who.registrationIds.length
      ? await trx.selectFrom("registrations").select(["id", "email", "student_id"]).where("id", "in", who.registrationIds).execute()
      : [];
    const addressFor = new Map<string, string>([[email, placeholder(1)]]);
    const personKey = (r: { email: string | null; student_id: string | null }) =>
      r.email ? normaliseEmail(r.email) : r.student_id ? `sid:${r.student_id.toUpperCase()}` : null;
    for (const r of regs) {
      const key = personKey(r);
      if (key && !addressFor.has(key)) addressFor.set(key, placeholder(addressFor.size + 1));
    }
    const studentIdFor = new Map(who.studentIds.map((sid, i) => [sid, studentPlaceholder(i + 1)]));
    const otherAddresses = [...addressFor.keys()].filter((k) => k !== email && !k.startsWith("sid:"));
    const addresses = [email, ...otherAddresses];

    const report: ErasureReport = {
      registrations: regs.length,
      leaderRoles: 0,
      staffEntries: 0,
      account: who.userId !== null,
      emails: 0,
      auditEntries: 0,
      tokensDeleted: 0,
      signInSessionsEnded: 0,
      mentionsRedacted: 0,
    };

    // Registrations: the rows and their attendance stay; who they were does not.
    const groups = new Map<string, number[]>();
    for (const r of regs) {
      const key = personKey(r);
      const target = key ? addressFor.get(key)! : "";
      const sid = r.student_id ? (studentIdFor.get(r.student_id.toUpperCase()) ?? "") : "";
      groups.set(`${target}|${sid}`, [...(groups.get(`${target}|${sid}`) ?? []), r.id]);
    }
    for (const [key, ids] of groups) {
      const [target, sid] = key.split("|");
      await trx
        .updateTable("registrations")
        .set({ name: ERASED_NAME, email: target || null, student_id: sid || null, accessibility_needs: null, answer: null, manage_token_hash: null })
        .where("id", "in", ids)
        .execute();
    }
    if (regs.length) {
      const spent = await trx.deleteFrom("feedback_tokens").where("registration_id", "in", who.registrationIds).executeTakeFirst();
      report.tokensDeleted += Number(spent.numDeletedRows);
    }

    // The roster entry: kept (with its placeholder address, it still matches their attendance), but anonymous.
    if (who.leaderId) {
      const leader = await trx.selectFrom("leader_people").select("student_id").where("id", "=", who.leaderId).executeTakeFirstOrThrow();
      await trx
        .updateTable("leader_people")
        .set({
          name: ERASED_NAME,
          email: placeholder(1),
          student_id: leader.student_id ? (studentIdFor.get(leader.student_id.toUpperCase()) ?? null) : null,
          updated_at: at,
        })
        .where("id", "=", who.leaderId)
        .execute();
      const roles = await trx
        .updateTable("leader_appointments")
        .set({ end_reason: null, updated_at: at })
        .where("person_id", "=", who.leaderId)
        .executeTakeFirst();
      report.leaderRoles = Number(roles.numUpdatedRows);
      await trx
        .updateTable("leader_completions")
        .set({ provider: null, evidence_note: null, withdraw_reason: null })
        .where("person_id", "=", who.leaderId)
        .execute();
      await trx.updateTable("leader_exemptions").set(ERASED_EXEMPTION).where("person_id", "=", who.leaderId).execute();
      const links = await trx.deleteFrom("leader_access_tokens").where("person_id", "=", who.leaderId).executeTakeFirst();
      report.tokensDeleted += Number(links.numDeletedRows);
    }

    report.staffEntries = await eraseStaffRecords(trx, who.staffMemberIds, { email: placeholder(1), staffNumberFor: studentIdFor, at });

    // The account: signed out everywhere, unable to sign in again, anonymous. Its history stays, under "Erased person".
    if (who.userId) {
      await trx
        .updateTable("users")
        .set({ name: ERASED_NAME, email: placeholder(1), password_hash: null, is_active: 0, updated_at: at })
        .where("id", "=", who.userId)
        .execute();
      const ended = await trx.deleteFrom("auth_sessions").where("user_id", "=", who.userId).executeTakeFirst();
      report.signInSessionsEnded = Number(ended.numDeletedRows);
      const links = await trx.deleteFrom("email_tokens").where("user_id", "=", who.userId).executeTakeFirst();
      report.tokensDeleted += Number(links.numDeletedRows);
      await trx.deleteFrom("second_factors").where("user_id", "=", who.userId).execute();
      await trx.deleteFrom("recovery_codes").where("user_id", "=", who.userId).execute();
      await trx.deleteFrom("user_identities").where("user_id", "=", who.userId).execute();
      await trx.updateTable("trainer_profiles").set({ feed_token_hash: null, feed_token_created_at: null }).where("user_id", "=", who.userId).execute();
      await trx.updateTable("trainer_time_off").set({ reason: null }).where("trainer_id", "=", who.userId).execute();
      await trx.updateTable("session_trainers").set({ decline_reason: null }).where("trainer_id", "=", who.userId).execute();
    }

    // Mail to them: the record that a message was sent stays; what it said, and to whom, does not.
    const toThem = sql<SqlBool>`lower(to_address) in (${sql.join(addresses)})`;
    const mail = await trx
      .updateTable("email_messages")
      .set({ to_name: null, raw_mime: ERASED_BODY, html: ERASED_BODY, text: ERASED_BODY, attachments_json: "[]" })
      .where(toThem)
      .executeTakeFirst();
    report.emails = Number(mail.numUpdatedRows);
    await trx
      .updateTable("email_messages")
      .set({ status: "failed", next_attempt_at: null, lease_expires_at: null, last_error: "Not sent: the recipient's personal data was erased." })
      .where(toThem)
      .where("status", "in", ["held", "pending", "sending"])
      .execute();
    for (const address of addresses) {
      await trx
        .updateTable("email_messages")
        .set({ to_address: addressFor.get(address)! })
        .where(sql<SqlBool>`lower(to_address) = ${address}`)
        .execute();
    }

    // Other people's messages that mention them keep their redacted text; the raw copy and the
    // attachments (quoted-printable, base64 and folded calendar lines hide more copies) go.
    const names = who.names.filter(mentionableName);
    const mentionForms = [...addresses, ...who.emailSpellings, ...names].flatMap((term) => storedForms(term));
    if (mentionForms.length) {
      const found = new Map<number, { id: number; subject: string; html: string; text: string; raw_mime: string; attachments_json: string }>();
      for (const needles of needleBatches(likeNeedles(mentionForms), 25)) {
        const rows = await trx
          .selectFrom("email_messages")
          .select(["id", "subject", "html", "text", "raw_mime", "attachments_json"])
          .where((eb) =>
            eb.or(
              needles.flatMap((n) =>
                (["subject", "html", "text", "raw_mime"] as const).map((col) => sql<SqlBool>`lower(${sql.ref(col)}) like ${containsPattern(n)} escape '\\'`),
              ),
            ),
          )
          .where(sql<SqlBool>`to_address not like ${containsPattern(`@${PLACEHOLDER_DOMAIN}`)} escape '\\'`)
          .execute();
        for (const row of rows) found.set(row.id, row);
      }
      const mentioning = [...found.values()]
        .filter((m) => [m.subject, m.html, m.text, m.raw_mime, ...attachmentTexts(m.attachments_json)].some((text) => mentions(text, mentionForms)))
        .map((m) => m.id);
      for (let i = 0; i < mentioning.length; i += 500) {
        await trx
          .updateTable("email_messages")
          .set({ raw_mime: MENTION_REMOVED_MIME, attachments_json: "[]" })
          .where("id", "in", mentioning.slice(i, i + 500))
          .execute();
      }
    }

    // Audit entries about them keep what happened and when, not the details.
    const about = await trx
      .updateTable("audit_events")
      .set({ summary: "Details removed: this entry was about a person whose data was erased.", detail_json: null })
      .where((eb) =>
        eb.or([
          ...(who.userId ? [eb.and([eb("entity_type", "=", "user"), eb("entity_id", "=", String(who.userId))])] : []),
          ...(who.leaderId ? [eb.and([eb("entity_type", "=", "leader"), eb("entity_id", "=", String(who.leaderId))])] : []),
          ...(who.staffMemberIds.length ? [eb.and([eb("entity_type", "=", "staff_member"), eb("entity_id", "in", who.staffMemberIds.map(String))])] : []),
          sql<SqlBool>`1 = 0`,
        ]),
      )
      .executeTakeFirst();
    report.auditEntries = Number(about.numUpdatedRows);

    // Lists and counters keyed by their address.
    await trx
      .deleteFrom("sign_in_failures")
      .where(sql<SqlBool>`lower(email) in (${sql.join(addresses)})`)
      .execute();
    await trx
      .deleteFrom("signup_allowlist")
      .where(sql<SqlBool>`lower(email) in (${sql.join(addresses)})`)
      .execute();
    for (const address of addresses) {
      // Kept under the placeholder, so nobody is reminded twice about the same session.
      await trx
        .updateTable("reminders_sent")
        .set({ recipient_email: addressFor.get(address)! })
        .where(sql<SqlBool>`lower(recipient_email) = ${address}`)
        .execute();
    }
    await trx
      .updateTable("organisations")
      .set({ contact_name: null, contact_email: null, updated_at: at })
      .where(sql<SqlBool>`lower(contact_email) in (${sql.join(addresses)})`)
      .execute();

    // Last, every remaining mention anywhere: notes, summaries, other people's messages.
    const replacements: Replacement[] = [
      ...addresses.map((a) => ({ from: a, to: addressFor.get(a)! })),
      ...[...studentIdFor].filter(([sid]) => sid.length >= 3).map(([from, to]) => ({ from, to })),
      // A column that is someone's name belongs to whoever that row is about: another person with the same name keeps it.
      // A name is looked for only in free text: a person called "Open" or "Sent" leaves codes alone.
      ...names.map((n) => ({ from: n, to: ERASED_NAME, skip: NAME_COLUMNS, freeTextOnly: true })),
    ];
    report.mentionsRedacted = await replaceEverywhere(trx, replacements);

    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "privacy.erased",
      entityType: "person",
      entityId: null,
      summary: `${actor.name} erased a person's data (${describeErasure(report)})`,
      detail: { ...report },
    });
    return report;
  });
}

/** Erasure cannot give a place back to the waiting list or find a new trainer, so those come first. */
async function refuseWhileBooked(trx: Db, registrationIds: number[], userId: number | null) {
  const at = nowIso();
  if (registrationIds.length) {
    const live = await trx
      .selectFrom("registrations as r")
      .innerJoin("sessions as s", "s.id", "r.session_id")
      .innerJoin("courses as c", "c.id", "s.course_id")
      .select(["s.id", "c.name", "s.starts_at"])
      .where("r.id", "in", registrationIds)
      .where("r.status", "in", ["registered", "waiting"])
      .where("s.status", "=", "scheduled")
      .where("s.ends_at", ">", at)
      .orderBy("s.starts_at")
      .execute();
    if (live.length) {
      const list = live.map((s) => `${s.name}, ${formatDateTime(s.starts_at)}`).join("; ");
      throw new RuleViolation(
        "form",
        `They still have a place or a waiting-list entry on a session that has not happened (${list}). Cancel it first from the session's attendees page, so the place goes to the next person waiting, then erase.`,
      );
    }
  }
  if (userId) {
    const upcoming = await trx
      .selectFrom("session_trainers as st")
      .innerJoin("sessions as s", "s.id", "st.session_id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("st.trainer_id", "=", userId)
      .where("st.status", "!=", "declined")
      .where("s.status", "=", "scheduled")
      .where("s.ends_at", ">", at)
      .executeTakeFirstOrThrow();
    if (Number(upcoming.n) > 0) {
      throw new RuleViolation("form", `They are the trainer on ${plural(Number(upcoming.n), "upcoming session")}. Assign someone else first, then erase.`);
    }
  }
}

interface Replacement {
  from: string;
  to: string;
  skip?: ReadonlySet<string>;
  /** Only in columns of free text, never in codes, keys, hashes or times. */
  freeTextOnly?: boolean;
}

/**
 * Columns that hold a code, a key, a hash, a time or an address, never words someone wrote: a
 * status ("open", "sent", "held"), an action name, a template, an id. Found by name, so a new column
 * of that kind is covered without being listed.
 */
export function isCodeColumn(table: string, column: string): boolean {
  if (`${table}.${column}` === "record_versions.name") return true;
  return (
    /(^|_)(id|action|type|audience|kind|status|colour|key|template|purpose|hash|source|recommend|validity|role|policy|domain|uid|code|attendance|email)$/.test(
      column,
    ) || /(_at|_on|_time|_address|deadline)$/.test(column)
  );
}

/** Columns that hold the name of whoever the row is about, not free text. */
const NAME_COLUMNS: ReadonlySet<string> = new Set([
  "users.name",
  "registrations.name",
  "leader_people.name",
  "email_messages.to_name",
  "organisations.name",
  "organisations.contact_name",
  "courses.name",
  "rooms.name",
  "leader_roles.name",
  "staff_members.name",
  "staff_roles.name",
]);

interface TextColumn {
  table: string;
  column: string;
}

async function textColumns(trx: Db): Promise<TextColumn[]> {
  const tables = await trx.introspection.getTables();
  return tables.flatMap((t) => (t.isView ? [] : t.columns.filter((c) => /char|text|clob/i.test(c.dataType)).map((c) => ({ table: t.name, column: c.name }))));
}

/** Any text column in any table holding one of these addresses, in any stored spelling. */
async function mentionsAnywhere(trx: Db, terms: string[]): Promise<boolean> {
  const batches = needleBatches(likeNeedles(terms.flatMap((term) => storedForms(term))));
  for (const { table, column } of await textColumns(trx)) {
    for (const needles of batches) {
      const hit = await trx
        .selectFrom(sql.table(table).as("t"))
        .select(sql.lit(1).as("x"))
        .where((eb) => eb.or(needles.map((n) => sql<SqlBool>`lower(${sql.ref(column)}) like ${containsPattern(n)} escape '\\'`)))
        .limit(1)
        .executeTakeFirst();
      if (hit) return true;
    }
  }
  return false;
}

/** The text attachments of a stored message, decoded, with calendar lines unfolded and unescaped. */
function attachmentTexts(json: string): string[] {
  try {
    return (JSON.parse(json) as { contentType: string; contentBase64: string }[])
      .filter((a) => /^text\//i.test(a.contentType))
      .map((a) =>
        Buffer.from(a.contentBase64, "base64")
          .toString("utf8")
          .replace(/\r?\n[ \t]/g, "")
          .replace(/\\([,;\\])/g, "$1")
          .replace(/\\n/gi, "\n"),
      );
  } catch {
    return [];
  }
}

/**
 * Replaces each string wherever it appears in any text column of any table: in every stored
 * spelling (see stored-forms.ts), in any letter case, as a whole word. Each column is read once:
 * the values that might hold one are found with LIKE, in order of value, a page at a time, each is
 * rewritten here and written back in place of exactly that value.
 */
async function replaceEverywhere(trx: Db, replacements: Replacement[]): Promise<number> {
  let changed = 0;
  const usable = replacements
    .filter(({ from, to }) => from && !to.toLowerCase().includes(from.toLowerCase()))
    .map((r) => ({ ...r, forms: storedForms(r.from, r.to) }));
  for (const { table, column } of await textColumns(trx)) {
    const here = usable.filter((r) => !r.skip?.has(`${table}.${column}`) && !(r.freeTextOnly && isCodeColumn(table, column)));
    if (!here.length) continue;
    const forms: StoredReplacement[] = here.flatMap((r) => r.forms);
    const col = sql.ref(column);
    for (const needles of needleBatches(likeNeedles(forms))) {
      let after: string | null = null;
      for (;;) {
        const from: string | null = after;
        const rows = await trx
          .selectFrom(sql.table(table).as("t"))
          .select(sql<string>`${col}`.as("v"))
          .distinct()
          .where((eb) => eb.or(needles.map((n) => sql<SqlBool>`lower(${col}) like ${containsPattern(n)} escape '\\'`)))
          .$if(from !== null, (q) => q.where(sql<SqlBool>`${col} > ${from}`))
          .orderBy(sql`${col}`)
          .limit(REPLACE_PAGE)
          .execute();
        for (const { v } of rows) {
          const next = replaceForms(String(v), forms);
          if (next === v) continue;
          const result = await trx
            .updateTable(sql.table(table) as never)
            .set({ [column]: next } as never)
            .where(sql<SqlBool>`${col} = ${v}`)
            .executeTakeFirst();
          changed += Number(result.numUpdatedRows);
        }
        if (rows.length < REPLACE_PAGE) break;
        after = String(rows[rows.length - 1]!.v);
      }
    }
  }
  return changed;
}

const REPLACE_PAGE = 200;
