import { z } from "zod";

/**
 * The access features a room can offer and a group can need: one short fixed list, so a request's
 * needs can be matched against every room. Anything outside it stays in the free-text notes.
 */
export const ACCESS_FEATURES = ["step_free", "hearing_loop", "accessible_toilet", "quiet_room"] as const;
export type AccessFeature = (typeof ACCESS_FEATURES)[number];

export const ACCESS_FEATURE_LABELS: Record<AccessFeature, string> = {
  step_free: "Step-free access",
  hearing_loop: "Hearing loop",
  accessible_toilet: "Accessible toilet",
  quiet_room: "Quiet room nearby",
};

/** What a room lacking the feature is missing, said plainly. */
const MISSING: Record<AccessFeature, string> = {
  step_free: "no step-free access",
  hearing_loop: "no hearing loop",
  accessible_toilet: "no accessible toilet",
  quiet_room: "no quiet room nearby",
};

export const ACCESS_FEATURE_OPTIONS = ACCESS_FEATURES.map((value) => ({ value, label: ACCESS_FEATURE_LABELS[value] }));

const isFeature = (code: string): code is AccessFeature => (ACCESS_FEATURES as readonly string[]).includes(code);

/** A stored list ("step_free,hearing_loop") as features, in the list's own order; unknown codes are dropped. */
export function readAccessSet(stored: string | null | undefined): AccessFeature[] {
  const codes = new Set((stored ?? "").split(","));
  return ACCESS_FEATURES.filter((f) => codes.has(f));
}

/** Features as they are stored: each once, in the list's own order. */
export function storeAccessSet(features: readonly string[]): string {
  const chosen = new Set(features.filter(isFeature));
  return ACCESS_FEATURES.filter((f) => chosen.has(f)).join(",");
}

/** The needs a room does not meet, in the list's order. */
export function unmetNeeds(needs: readonly AccessFeature[], features: readonly AccessFeature[]): AccessFeature[] {
  return needs.filter((n) => !features.includes(n));
}

/** "Does not meet the group's needs: no step-free access, no hearing loop", or null when it meets them all. */
export function describeUnmet(unmet: readonly AccessFeature[]): string | null {
  if (!unmet.length) return null;
  return `Does not meet the group's needs: ${unmet.map((f) => MISSING[f]).join(", ")}`;
}

/** "Step-free access, hearing loop", or null for none. */
export function describeAccessSet(features: readonly AccessFeature[]): string | null {
  if (!features.length) return null;
  return features.map((f, i) => (i === 0 ? ACCESS_FEATURE_LABELS[f] : ACCESS_FEATURE_LABELS[f].toLowerCase())).join(", ");
}

/**
 * Rooms with what each offers and which of the group's needs it does not meet, those meeting the
 * most first (rooms meeting as many keep their order).
 */
export function rankRoomsByNeeds<R extends { access_features: string }>(rooms: readonly R[], needs: readonly AccessFeature[]) {
  return rooms
    .map((room) => {
      const features = readAccessSet(room.access_features);
      const unmet = unmetNeeds(needs, features);
      return { room, features, unmet, unmetText: describeUnmet(unmet) };
    })
    .sort((a, b) => a.unmet.length - b.unmet.length);
}

/** The features or needs ticked and the free text beside them, as one line for a page, an email or a calendar. */
export function accessSummary(stored: string | null | undefined, notes: string | null): string | null {
  return [describeAccessSet(readAccessSet(stored)), notes?.trim() || null].filter(Boolean).join(". ") || null;
}

/** The checkboxes of the fixed list, as a form sends them: none, one or several. */
export const AccessFeatureList = z.array(z.enum(ACCESS_FEATURES, { error: "Choose from the list" })).default([]);
