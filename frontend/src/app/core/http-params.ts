import { HttpParams } from '@angular/common/http';

type QueryValue = string | number | boolean | null | undefined;

/**
 * Query parameters of an API call, the one way every data-access service builds them: strings are trimmed, and
 * empty values (undefined, null, blank) are left out, so that "no filter" never reaches the API as `?q=`.
 * Arrays repeat their key (`?band=high&band=moderate`).
 */
export function toParams(query: object): HttpParams {
  let params = new HttpParams();
  for (const [key, raw] of Object.entries(query) as [string, QueryValue | readonly QueryValue[]][]) {
    const values: readonly QueryValue[] = Array.isArray(raw)
      ? (raw as readonly QueryValue[])
      : [raw as QueryValue];
    for (const value of values) {
      const text = typeof value === 'string' ? value.trim() : value;
      if (text !== undefined && text !== null && text !== '') params = params.append(key, String(text));
    }
  }
  return params;
}
