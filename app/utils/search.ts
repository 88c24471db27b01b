import { sql, type Expression, type SqlBool } from "kysely";

/** A LIKE pattern that matches `text` anywhere, with LIKE's own wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `column` contains `text`, ignoring case (portable: lower() and LIKE with an escape character). */
export function containsText(column: Expression<string | null>, text: string) {
  return sql<SqlBool>`lower(${column}) like ${containsPattern(text.toLowerCase())} escape '\\'`;
}
