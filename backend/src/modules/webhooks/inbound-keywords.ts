/**
 * Keywords of inbound SMS, as carriers and Twilio's default opt-out handling know them, plus the French
 * "ARRET"/"ARRÊT". The whole message is the keyword (trimmed, any case, accents and final punctuation ignored):
 * "stop" opts out, "stop sending me things" does not.
 */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'ARRET']);
const OPT_IN = new Set(['START', 'UNSTOP', 'YES']);

export type InboundKeyword = 'opt_out' | 'opt_in';

const TRAILING = /[\s.!?]/u;

/** Final spaces and punctuation removed in one pass (the former `/[\s.!?]+$/` backtracks quadratically). */
function withoutTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING.test(text[end - 1]!)) end -= 1;
  return text.slice(0, end);
}

export function inboundKeyword(body: string): InboundKeyword | null {
  const word = withoutTrailingPunctuation(
    body
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .trim(),
  ).toUpperCase();
  if (OPT_OUT.has(word)) return 'opt_out';
  if (OPT_IN.has(word)) return 'opt_in';
  return null;
}
