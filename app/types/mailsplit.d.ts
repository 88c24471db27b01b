// The part of mailsplit's API the outbox uses (the package ships no types of its own).
declare module "mailsplit" {
  import type { Transform } from "node:stream";
  /** Splits a message into header nodes and body chunks. */
  export class Splitter extends Transform {
    constructor(options?: { ignoreEmbedded?: boolean; maxHeadSize?: number });
  }
  /** Joins what a Splitter made back into a message, byte for byte where nothing changed. */
  export class Joiner extends Transform {}
  /** Re-encodes the nodes the filter picks: read decoded content from `decoder`, write the new content to `encoder`. */
  export class Rewriter extends Transform {
    constructor(filter: (node: { contentType?: string | false; encoding?: string | false; root?: boolean }) => boolean);
    on(
      event: "node",
      listener: (data: { node: { contentType?: string | false }; decoder: NodeJS.ReadWriteStream; encoder: NodeJS.WritableStream }) => void,
    ): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
