/**
 * SMS encoding and length, as the template editor shows them and as the provider bills them.
 * GSM 03.38 default alphabet (one septet per character) plus its extension table (escape + character,
 * two septets). Any other character forces UCS-2 for the whole message.
 */
// GSM 03.38 basic character set, in table order (0x00..0x7F; 0x1B is the escape to the extension table).
const GSM7_BASIC = '@£$¥èéùìòÇ\nØø\rÅå' +
    'Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ' +
    ' !"#¤%&\'()*+,-./' +
    '0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNO' +
    'PQRSTUVWXYZÄÖÑÜ§' +
    '¿abcdefghijklmno' +
    'pqrstuvwxyzäöñüà';
// Extension table: form feed, ^ { } \ [ ~ ] | €.
const GSM7_EXTENSION = '\f^{}\\[~]|€';
const BASIC = new Set(Array.from(GSM7_BASIC).filter((character) => character !== '\u001b'));
const EXTENSION = new Set(Array.from(GSM7_EXTENSION));
export const GSM7_SINGLE_SEGMENT = 160;
export const GSM7_MULTIPART_SEGMENT = 153;
export const UCS2_SINGLE_SEGMENT = 70;
export const UCS2_MULTIPART_SEGMENT = 67;
export function isGsm7Character(character) {
    return BASIC.has(character) || EXTENSION.has(character);
}
/** Encoding, length and segment count of an SMS body. An empty body has no segment. */
export function analyseSms(text) {
    const characters = Array.from(text); // code points: a surrogate pair stays one character
    const nonGsm = new Set();
    for (const character of characters) {
        if (!isGsm7Character(character))
            nonGsm.add(character);
    }
    const encoding = nonGsm.size === 0 ? 'GSM-7' : 'UCS-2';
    const widths = characters.map((character) => encoding === 'GSM-7' ? (EXTENSION.has(character) ? 2 : 1) : character.length);
    const units = widths.reduce((sum, width) => sum + width, 0);
    const [single, multipart] = encoding === 'GSM-7'
        ? [GSM7_SINGLE_SEGMENT, GSM7_MULTIPART_SEGMENT]
        : [UCS2_SINGLE_SEGMENT, UCS2_MULTIPART_SEGMENT];
    return {
        encoding,
        units,
        segments: countSegments(widths, units, single, multipart),
        nonGsmCharacters: [...nonGsm],
    };
}
/**
 * Segments of a concatenated message. An escape sequence or a surrogate pair is never split across two
 * segments (handsets and providers move it whole to the next one), so a long message can need one segment
 * more than units / 153 (or / 67) suggests.
 */
function countSegments(widths, units, single, multipart) {
    if (units === 0)
        return 0;
    if (units <= single)
        return 1;
    let segments = 1;
    let used = 0;
    for (const width of widths) {
        if (used + width > multipart) {
            segments += 1;
            used = 0;
        }
        used += width;
    }
    return segments;
}
