import type { Bundle, FhirResource } from '../fhir-types.js';
import { pageQuery } from '../search-params.js';

export interface SearchPage {
  type: string;
  resources: FhirResource[];
  total: number;
  count: number;
  offset: number;
  /** The query as received (paging parameters are replaced in the links). */
  query: Record<string, unknown>;
}

/** A `searchset` Bundle with the total and self / next / previous links (offset paging). */
export function toSearchBundle(page: SearchPage, baseUrl: string): Bundle {
  const url = (offset: number) => `${baseUrl}/fhir/${page.type}?${pageQuery(page.query, page.count, offset)}`;
  const link = [{ relation: 'self', url: url(page.offset) }];
  if (page.count > 0 && page.offset + page.count < page.total)
    link.push({ relation: 'next', url: url(page.offset + page.count) });
  if (page.count > 0 && page.offset > 0)
    link.push({ relation: 'previous', url: url(Math.max(0, page.offset - page.count)) });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: page.total,
    link,
    // FHIR JSON has no empty arrays: an empty page has no `entry` at all.
    ...(page.resources.length > 0
      ? {
          entry: page.resources.map((resource) => ({
            fullUrl: `${baseUrl}/fhir/${resource.resourceType}/${resource.id ?? ''}`,
            resource,
            search: { mode: 'match' as const },
          })),
        }
      : {}),
  };
}
