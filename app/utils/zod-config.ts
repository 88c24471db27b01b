import { z } from "zod";

// In the browser, zod would probe for eval (`new Function`) to compile fast parsers; the
// Content-Security-Policy forbids eval, so the probe would be reported as a violation. Parse without it.
// Imported first by app/root.tsx so it runs before any schema is built.
if (typeof document !== "undefined") z.config({ jitless: true });
