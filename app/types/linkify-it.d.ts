// The part of linkify-it's API the outbox uses (5.x ships no types of its own).
declare module "linkify-it" {
  export interface Match {
    schema: string;
    index: number;
    lastIndex: number;
    raw: string;
    text: string;
    url: string;
  }
  export interface Options {
    fuzzyLink?: boolean;
    fuzzyEmail?: boolean;
    fuzzyIP?: boolean;
  }
  export default class LinkifyIt {
    constructor(schemas?: Record<string, unknown>, options?: Options);
    /** Turns a schema off when given null. */
    add(schema: string, definition: null): this;
    match(text: string): Match[] | null;
  }
}
