/**
 * Shape of a versioned EPDS definition. The wording and the points of every option are data: a new
 * language (right-to-left included) is a new definition from a validated translation, never code.
 */

/** Languages with a validated EPDS text. Add a code here and TypeScript asks for its instrument and page text. */
export const SUPPORTED_EPDS_LANGUAGES = ['fr', 'en'] as const;
export type EpdsLanguage = (typeof SUPPORTED_EPDS_LANGUAGES)[number];

/** Version of the definitions below; every response records it together with the language. */
export const EPDS_INSTRUMENT_VERSION = '1.0';

export const EPDS_INSTRUMENT_ID = 'epds';
export const EPDS_ITEM_COUNT = 10;
export const EPDS_OPTION_COUNT = 4;
export const EPDS_MAX_SCORE = 30;
/** Item 10, "The thought of harming myself has occurred to me": any answer other than "Never" is urgent. */
export const EPDS_SELF_HARM_ITEM = 10;
/** EPDS-3A anxiety subscale (Matthey 2008). */
export const EPDS_ANXIETY_ITEMS = [3, 4, 5] as const;

export const EPDS_CITATION =
  'Cox JL, Holden JM, Sagovsky R. Detection of postnatal depression. Development of the 10-item Edinburgh Postnatal Depression Scale. Br J Psychiatry 1987;150:782-6. French validation: Guedeney N, Fermanian J. Eur Psychiatry 1998;13:83-9.';

export type TextDirection = 'ltr' | 'rtl';

export interface EpdsOption {
  readonly text: string;
  readonly points: number;
}

export interface EpdsItem {
  /** 1 to 10, in the original order. */
  readonly number: number;
  readonly text: string;
  /** Original (canonical) order: an answer is the index of the chosen option in this list. */
  readonly options: readonly EpdsOption[];
}

/**
 * Grammatical wording of the page: the validated French text is worded for a mother ("feminine"); fathers
 * read it in the masculine and co-parents in an inclusive wording (rephrased or with both forms, never the
 * median dot, so that screen readers read it well). Only the wording changes: points, order and version stay.
 */
export const EPDS_WORDINGS = ['feminine', 'masculine', 'inclusive'] as const;
export type EpdsWording = (typeof EPDS_WORDINGS)[number];

/** Text of one wording: the instructions and, per item in order, its text and its four options' texts. */
export interface EpdsWordingText {
  readonly instructions: string;
  /** Omitted when the wording keeps the validated items (e.g. English, which has no grammatical gender here). */
  readonly items?: readonly { readonly text: string; readonly options: readonly string[] }[];
}

export interface EpdsInstrument {
  readonly id: typeof EPDS_INSTRUMENT_ID;
  readonly version: string;
  readonly language: EpdsLanguage;
  readonly direction: TextDirection;
  readonly title: string;
  readonly instructions: string;
  /** Lead-in printed before the items in the validated text ("In the past 7 days:"). */
  readonly itemsLeadIn: string;
  readonly citation: string;
  readonly items: readonly EpdsItem[];
  /**
   * The on-screen wordings, as data beside the validated text above (which stays verbatim): the digital
   * instruction ("check", not the paper "underline") and the grammatical variants. Scoring never reads them.
   */
  readonly wordings?: Readonly<Record<EpdsWording, EpdsWordingText>>;
}

/** Page strings around the instrument (not part of the validated text). "{number}" and "{total}" are replaced. */
export interface EpdsUiText {
  /** Name of the language in that language, for the language switcher. */
  readonly languageName: string;
  readonly pageTitle: string;
  readonly skipToQuestions: string;
  readonly changeLanguage: string;
  /** e.g. "Question {number} of {total}" (screen readers). */
  readonly questionLabel: string;
  readonly submit: string;
  /** Shown next to an unanswered question. */
  readonly answerRequired: string;
  /** Heading of the error summary at the top of the form. */
  readonly errorSummaryTitle: string;
  readonly sourceLabel: string;
  readonly optOut: string;
  readonly linkExpired: string;
  readonly alreadyAnswered: string;
  readonly resourcesTitle: string;
  readonly call: string;
  readonly website: string;
  /** Between a label and its value ("Source : …" in French, "Source: …" in English). */
  readonly colon: string;
  /** Copyright line of the scale, shown with the citation. */
  readonly licence: string;
  /** Under the instructions: one answer per question, who receives them. */
  readonly answersNote: string;
  /** Prefix of the document title when the page shows errors. */
  readonly errorTitlePrefix: string;
  /** Error summary line when the form arrived with fields the page never sends. */
  readonly formInvalid: string;
  /** Only when the organisation shows the score: "{score}" and "{max}" are replaced. */
  readonly scoreLabel: string;
  readonly linkExpiredTitle: string;
  readonly unknownLinkTitle: string;
  readonly unknownLink: string;
  readonly emergencyTitle: string;
  readonly tooManyAttemptsTitle: string;
  readonly tooManyAttempts: string;
  readonly alreadyAnsweredBody: string;
  readonly optOutExplanation: string;
  readonly optOutConfirm: string;
  readonly backToQuestions: string;
  readonly optOutDoneTitle: string;
  readonly optOutDone: string;
  readonly unexpectedErrorTitle: string;
  readonly unexpectedError: string;
  /** Label of the wording switch ("Formulation"), and the name of each wording. */
  readonly wordingLabel: string;
  readonly wordingFeminine: string;
  readonly wordingMasculine: string;
  readonly wordingInclusive: string;
  readonly privacyTitle: string;
  readonly accessibilityTitle: string;
  /** Link back from a page reached from the questions (opt-out, privacy notice). */
  readonly back: string;
}
