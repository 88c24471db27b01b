// The part of content-disposition's API the downloads use (0.5.x ships no types of its own).
declare module "content-disposition" {
  interface Options {
    type?: "attachment" | "inline";
    /** An ISO-8859-1 name for clients that do not read filename*; false for none. */
    fallback?: string | boolean;
  }
  function contentDisposition(filename?: string, options?: Options): string;
  namespace contentDisposition {
    function parse(header: string): { type: string; parameters: Record<string, string> };
  }
  export default contentDisposition;
}
