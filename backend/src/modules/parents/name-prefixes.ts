import { NAME_SEARCH_MIN_LENGTH } from '@lien/shared';
import { foldName } from '../../common/crypto/field-encryption.service.js';

/**
 * The longest prefix indexed. A longer search term is cut to this length: two names sharing their first 24
 * letters both match, which is rare enough, and the index stays at most ~2×23 entries per name word.
 */
export const NAME_PREFIX_MAX_LENGTH = 24;

/** Word separators inside a folded name ("marie-claire", "de la tour", "n'diaye"). */
const WORD_BREAK = /[\s'’-]+/u;

/**
 * The folded prefixes of a name to index: of the whole folded name and of each of its words, every length from
 * NAME_SEARCH_MIN_LENGTH to NAME_PREFIX_MAX_LENGTH (so "Dup" finds "Dupont" and "Tour" finds "De La Tour").
 */
export function namePrefixes(name: string): string[] {
  const folded = foldName(name);
  const words = [folded, ...folded.split(WORD_BREAK)].filter((word) => word.length > 0);
  const prefixes = new Set<string>();
  for (const word of words) {
    const chars = [...word];
    const longest = Math.min(chars.length, NAME_PREFIX_MAX_LENGTH);
    for (let length = NAME_SEARCH_MIN_LENGTH; length <= longest; length += 1)
      prefixes.add(chars.slice(0, length).join(''));
  }
  return [...prefixes];
}

/** The indexed prefix a search term is compared with (folded, cut to the longest prefix indexed). */
export function searchPrefix(term: string): string {
  return [...foldName(term)].slice(0, NAME_PREFIX_MAX_LENGTH).join('');
}

/**
 * The keyed index of one prefix: HMAC-SHA256 under the blind-index key, separated from the exact-name indexes
 * and bound to the organisation (the same prefix in two organisations gives two unrelated values), cut to 128
 * bits (a collision only adds a wrong row that the organisation filter and paging already tolerate).
 */
export function prefixIndex(
  blindIndex: (normalised: string) => string,
  organisationId: string,
  prefix: string,
): string {
  return blindIndex(`name-prefix\u0000${organisationId}\u0000${prefix}`).slice(0, 32);
}

/** The prefix indexes of a parent's first and last names. */
export function namePrefixIndexes(
  blindIndex: (normalised: string) => string,
  organisationId: string,
  firstName: string,
  lastName: string,
): string[] {
  const prefixes = new Set([...namePrefixes(lastName), ...namePrefixes(firstName)]);
  return [...prefixes].map((prefix) => prefixIndex(blindIndex, organisationId, prefix));
}
