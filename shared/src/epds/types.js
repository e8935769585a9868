/**
 * Shape of a versioned EPDS definition. The wording and the points of every option are data: a new
 * language (right-to-left included) is a new definition from a validated translation, never code.
 */
/** Languages with a validated EPDS text. Add a code here and TypeScript asks for its instrument and page text. */
export const SUPPORTED_EPDS_LANGUAGES = ['fr', 'en'];
/** Version of the definitions below; every response records it together with the language. */
export const EPDS_INSTRUMENT_VERSION = '1.0';
export const EPDS_INSTRUMENT_ID = 'epds';
export const EPDS_ITEM_COUNT = 10;
export const EPDS_OPTION_COUNT = 4;
export const EPDS_MAX_SCORE = 30;
/** Item 10, "The thought of harming myself has occurred to me": any answer other than "Never" is urgent. */
export const EPDS_SELF_HARM_ITEM = 10;
/** EPDS-3A anxiety subscale (Matthey 2008). */
export const EPDS_ANXIETY_ITEMS = [3, 4, 5];
export const EPDS_CITATION = 'Cox JL, Holden JM, Sagovsky R. Detection of postnatal depression. Development of the 10-item Edinburgh Postnatal Depression Scale. Br J Psychiatry 1987;150:782-6. French validation: Guedeney N, Fermanian J. Eur Psychiatry 1998;13:83-9.';
