/** The addresses the provider's registration of this app asks for: where it sends people back after signing in, and after signing out. */
export function registrationAddresses(appUrl: string, slug: string): { redirectUri: string; postLogoutRedirectUri: string } {
  const base = appUrl.replace(/\/$/, "");
  return { redirectUri: `${base}/auth/sso/${slug}/callback`, postLogoutRedirectUri: `${base}/login` };
}
