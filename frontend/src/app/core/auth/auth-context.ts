import { HttpContext, HttpContextToken } from '@angular/common/http';

/** Requests that must go without the bearer token and never trigger a refresh (login, refresh, public). */
export const SKIP_AUTH = new HttpContextToken<boolean>(() => false);

/** The options of such a public request: `http.post(url, body, publicRequest())`. */
export function publicRequest(): { context: HttpContext } {
  return { context: new HttpContext().set(SKIP_AUTH, true) };
}
/** Set on the single retry after a refresh, so a second 401 ends there. */
export const RETRIED = new HttpContextToken<boolean>(() => false);
