/** The register's own address, for the page's links and the forms that post back to it. */
export const registerPath = (sessionId: number) => `/trainer/sessions/${sessionId}/register`;
