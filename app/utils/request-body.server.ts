import { data } from "@remix-run/node";

/**
 * The one way an action reads a submitted form. Every route calls this instead of
 * `request.formData()`, so limits on size, content type and encoding hold everywhere, and a body
 * that is not a form is a 4xx with a clear message instead of a server error.
 */
export async function readFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw data({ message: "This request could not be read as a form. Please use the form on this site." }, { status: 400 });
  }
}
