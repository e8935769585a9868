import type { ConsentInput } from '../api/parents.js';
import type { EpdsLanguage } from '../epds/types.js';
import type { ParentRole } from '../roles.js';
import type { EpdsBand } from '../statuses.js';
import type { ReportCell } from '../api/reports.js';

/**
 * Self-screening (the public `/depistage` page) and "be contacted" requests: the contract shared by the API, the
 * page and the console. Pure data and functions.
 */

/** How the parent would like to be contacted. */
export const CONTACT_REQUEST_CHANNELS = ['call', 'sms', 'email'] as const;
export type ContactRequestChannel = (typeof CONTACT_REQUEST_CHANNELS)[number];

/** Preferred time slots (local time of the team). */
export const CONTACT_TIME_SLOTS = ['morning', 'midday', 'afternoon', 'evening'] as const;
export type ContactTimeSlot = (typeof CONTACT_TIME_SLOTS)[number];

/** Version of the consent text shown next to the "be contacted" checkbox; bump it when the text changes. */
export const CONTACT_CONSENT_VERSION = 'contact-2026-12';

/** How a request found its team: served postal code, département default, regional queue, or national fallback. */
/** `invited`: an enrolled parent asked from their questionnaire's result page (their own team). */
export const CONTACT_ROUTINGS = ['postal_code', 'departement', 'region', 'national', 'invited'] as const;
export type ContactRouting = (typeof CONTACT_ROUTINGS)[number];

export const CONTACT_REQUEST_STATUSES = ['open', 'enrolled'] as const;
export type ContactRequestStatus = (typeof CONTACT_REQUEST_STATUSES)[number];

/** Child age buckets kept for reports (never the exact age). */
export const CHILD_AGE_BUCKETS = ['pregnant', '0-2w', '3-6w', '7-12w', '13-26w', '27-52w', '53w+'] as const;
export type ChildAgeBucket = (typeof CHILD_AGE_BUCKETS)[number];

/** Oldest child age (weeks) the form accepts: two years. */
export const MAX_CHILD_AGE_WEEKS = 104;

export function childAgeBucket(weeks: number | 'pregnant'): ChildAgeBucket {
  if (weeks === 'pregnant') return 'pregnant';
  if (weeks <= 2) return '0-2w';
  if (weeks <= 6) return '3-6w';
  if (weeks <= 12) return '7-12w';
  if (weeks <= 26) return '13-26w';
  if (weeks <= 52) return '27-52w';
  return '53w+';
}

/** A French postal code (5 digits, département 01–95, Corsica 20, overseas 97x). */
export function isFrenchPostalCode(value: string): boolean {
  return /^(0[1-9]|[1-8]\d|9[0-5]|97[1-6])\d{2,3}$/.test(value) && value.length === 5;
}

/**
 * The INSEE département of a postal code: the first two digits; overseas the first three; Corsica (20xxx) is
 * 2A below 20200 and 2B from it (the postal ranges of Corse-du-Sud and Haute-Corse). Null when not a postal code.
 */
export function departementOfPostalCode(value: string): string | null {
  if (!isFrenchPostalCode(value)) return null;
  if (value.startsWith('97')) return value.slice(0, 3);
  if (value.startsWith('20')) return Number(value) < 20200 ? '2A' : '2B';
  return value.slice(0, 2);
}

/** A contact request as the console shows it (identity only through the audited identity read). */
export interface ContactRequestView {
  /** @format uuid */
  id: string;
  /** @format uuid */
  organisationId: string;
  /** @format uuid */
  alertId: string | null;
  /** How the request found its team: served postal code, département default, regional queue, national fallback, or `invited` (an enrolled parent, their own team). */
  routing: ContactRouting;
  postalCode: string | null;
  departement: string | null;
  role: ParentRole;
  language: string;
  childAgeWeeks: number | null;
  pregnant: boolean;
  band: EpdsBand | null;
  item10Positive: boolean;
  channel: ContactRequestChannel;
  timeSlots: ContactTimeSlot[];
  consentTextVersion: string;
  status: ContactRequestStatus;
  /** @format uuid */
  enrolledParentId: string | null;
  /** @format date-time */
  createdAt: string;
}

/** `GET /api/contact-requests/:id/identity`: decrypted, and the read is audited. */
export interface ContactRequestIdentity {
  /** @format uuid */
  id: string;
  firstName: string;
  /** E.164, e.g. "+33612345678". */
  phone: string | null;
  email: string | null;
}

/** `POST /api/contact-requests/:id/enrol`: what the request does not hold. */
export interface ContactRequestEnrolRequest {
  lastName: string;
  birthDate?: string;
  expectedTermDate?: string;
  /** Overrides of what the request pre-fills. */
  firstName?: string;
  phone?: string;
  language?: string;
  referentUserId?: string;
  /** The consent the professional collected when calling back (given must be true, and its text version). */
  consent: ConsentInput;
}

/** `POST /api/public/contact-requests` answer: the team that will call back, and within what delay (words). */
export interface ContactRequestCreated {
  /** @format uuid */
  id: string;
  /** The team that will contact the parent. */
  organisationName: string;
  /** Within what delay, in words of the requested language. */
  delay: string;
}

/** `GET /api/screening-sources/:id/widget`: the page URL and the snippet to paste on a partner site. */
export interface ScreeningSourceWidget {
  /** The embeddable page (`?embed=1`). */
  url: string;
  /** An iframe and a small script that sets its height. */
  snippet: string;
}

/** A partner source of self-screenings, as org admins manage it. */
export interface ScreeningSourceView {
  /** @format uuid */
  id: string;
  code: string;
  name: string;
  partner: string | null;
  /** The page it leads to: `<PUBLIC_BASE_URL>/depistage/<code>`. */
  url: string;
  /** @format date-time */
  createdAt: string;
}

/** Counts of one source, with the reports' small-cell protection (1–4 hidden). */
export interface ScreeningSourceStats {
  source: ScreeningSourceView;
  screenings: ReportCell;
  /** Moderate or high band, or item 10 positive. */
  positive: ReportCell;
  positiveRate: ReportCell;
  contactRequests: ReportCell;
}

/** `POST /api/screening-sources`. */
export interface CreateScreeningSourceRequest {
  name: string;
  partner?: string;
  /** Lower-case letters, digits and dashes (3–40); generated from the name when absent. */
  code?: string;
}

/** Codes a source cannot take (they are routes of the page). */
export const RESERVED_SOURCE_CODES: readonly string[] = ['contact', 'widget', 'embed'];

export interface ScreeningText {
  pageTitle: string;
  intro: string;
  anonymous: string;
  aboutYou: string;
  roleLegend: string;
  roles: Record<ParentRole, string>;
  childLegend: string;
  pregnant: string;
  childAgeLabel: string;
  childAgeHint: string;
  postalCodeLabel: string;
  postalCodeHint: string;
  honeypotLabel: string;
  roleRequired: string;
  childRequired: string;
  postalCodeInvalid: string;
  tooFastTitle: string;
  tooFast: string;
  refusedTitle: string;
  refused: string;
  rateLimited: string;
  results: Record<EpdsBand | 'item10Positive', { title: string; body: string }>;
  contactTitle: string;
  contactIntro: string;
  invitedContactIntro: string;
  invitedContactDone: string;
  firstNameLabel: string;
  phoneLabel: string;
  emailLabel: string;
  phoneOrEmail: string;
  channelLegend: string;
  channels: Record<ContactRequestChannel, string>;
  slotsLegend: string;
  slots: Record<ContactTimeSlot, string>;
  consentLabel: string;
  consentRequired: string;
  firstNameRequired: string;
  contactSubmit: string;
  contactDoneTitle: string;
  /** {organisation} and {delay} are replaced. */
  contactDone: string;
  delayHours: string;
  delayWorkingDays: string;
  expiredTitle: string;
  expired: string;
  restart: string;
}

const FR: ScreeningText = {
  pageTitle: 'Comment allez-vous depuis la naissance ?',
  intro:
    'Ce questionnaire de 10 questions (EPDS) aide à savoir si vous traversez une période difficile depuis l’arrivée de votre enfant. Il prend environ 5 minutes.',
  anonymous:
    'C’est anonyme : nous ne vous demandons ni votre nom ni votre numéro pour répondre. Vos réponses ne sont pas conservées, seulement un résumé sans rien qui vous identifie.',
  aboutYou: 'À propos de vous',
  roleLegend: 'Vous êtes',
  roles: { mother: 'La mère', father: 'Le père', co_parent: 'Le coparent' },
  childLegend: 'Votre enfant',
  pregnant: 'Je suis enceinte (ou ma compagne l’est)',
  childAgeLabel: 'Âge de l’enfant en semaines',
  childAgeHint: 'De 0 à 104 semaines. Laissez vide si la naissance n’a pas encore eu lieu et cochez la case.',
  postalCodeLabel: 'Votre code postal (facultatif)',
  postalCodeHint: 'Pour vous indiquer l’aide la plus proche.',
  honeypotLabel: 'Ne pas remplir ce champ',
  roleRequired: 'Indiquez si vous êtes la mère, le père ou le coparent.',
  childRequired: 'Indiquez l’âge de l’enfant en semaines (0 à 104), ou que la naissance est à venir.',
  postalCodeInvalid: 'Le code postal doit comporter 5 chiffres (par exemple 62100), ou restez vide.',
  tooFastTitle: 'Prenez votre temps',
  tooFast:
    'Vos réponses sont arrivées très vite. Relisez-les tranquillement, puis envoyez-les à nouveau : elles sont conservées sur cette page.',
  refusedTitle: 'Votre envoi n’a pas pu être pris en compte',
  refused:
    'Le formulaire contenait un champ qui doit rester vide. Si vous avez besoin d’aide maintenant, les contacts ci-dessous sont là pour vous.',
  rateLimited:
    'Beaucoup de questionnaires ont été envoyés depuis cette connexion. Réessayez dans quelques minutes.',
  results: {
    low: {
      title: 'Merci pour vos réponses',
      body: 'Vos réponses ne montrent pas de difficulté particulière en ce moment. Les semaines autour d’une naissance sont pleines d’émotions : si vous avez envie d’en parler, les contacts ci-dessous sont là, et une équipe peut aussi vous appeler.',
    },
    moderate: {
      title: 'Merci pour vos réponses',
      body: 'Vos réponses montrent que cette période n’est peut-être pas toujours facile. C’est fréquent autour d’une naissance, et vous n’avez pas à traverser cela sans soutien. Un professionnel peut vous contacter pour en parler : demandez-le ci-dessous.',
    },
    high: {
      title: 'Merci de nous avoir confié ce que vous vivez',
      body: 'Vos réponses montrent que vous traversez peut-être un moment difficile. Ce n’est pas de votre faute, et de l’aide existe. Nous vous encourageons à demander ci-dessous qu’un professionnel vous contacte, ou à appeler l’un des contacts.',
    },
    item10Positive: {
      title: 'Merci de votre confiance',
      body: 'Vos réponses nous disent que vous traversez un moment difficile, et vous méritez de l’aide et du soutien. Si vous vous sentez en danger maintenant, appelez tout de suite le 3114 (gratuit, 24 h/24) ou le 15. Vous pouvez aussi demander ci-dessous qu’un professionnel vous appelle très vite.',
    },
  },
  contactTitle: 'Demander un contact avec un professionnel',
  contactIntro:
    'Laissez un prénom et un numéro de téléphone ou une adresse e-mail : une équipe de périnatalité proche de chez vous vous contactera.',
  invitedContactIntro:
    'Vous souhaitez parler à quelqu’un de l’équipe qui vous accompagne ? Demandez un contact : elle vous rappellera au numéro qu’elle connaît.',
  invitedContactDone: 'L’équipe qui vous accompagne a reçu votre demande et vous contactera {delay}.',
  firstNameLabel: 'Prénom',
  phoneLabel: 'Téléphone portable',
  emailLabel: 'Adresse e-mail',
  phoneOrEmail: 'Indiquez un numéro de téléphone portable ou une adresse e-mail valides.',
  channelLegend: 'Comment préférez-vous qu’on vous contacte ?',
  channels: { call: 'Un appel', sms: 'Un SMS', email: 'Un e-mail' },
  slotsLegend: 'Quand êtes-vous disponible ? (facultatif)',
  slots: { morning: 'Le matin', midday: 'Le midi', afternoon: 'L’après-midi', evening: 'En fin de journée' },
  consentLabel:
    'J’accepte que mon prénom, mes coordonnées et le résumé de mes réponses soient transmis à une équipe de périnatalité pour qu’elle me contacte.',
  consentRequired: 'Cochez la case pour que nous puissions transmettre votre demande.',
  firstNameRequired: 'Indiquez un prénom (1 à 60 caractères).',
  contactSubmit: 'Envoyer ma demande de contact',
  contactDoneTitle: 'Votre demande est envoyée',
  contactDone: '{organisation} vous contactera {delay}. En cas de danger immédiat, appelez le 3114 ou le 15.',
  delayHours: 'dans les {hours} heures',
  delayWorkingDays: 'dans les {days} jours ouvrés',
  expiredTitle: 'Cette page a expiré',
  expired: 'Pour demander un contact, refaites le questionnaire : cela prend quelques minutes.',
  restart: 'Refaire le questionnaire',
};

const EN: ScreeningText = {
  pageTitle: 'How have you been since the birth?',
  intro:
    'This 10-question questionnaire (EPDS) helps you tell whether you are going through a hard time since your child arrived. It takes about 5 minutes.',
  anonymous:
    'It is anonymous: we ask neither your name nor your number to answer. Your answers are not kept, only a summary with nothing that identifies you.',
  aboutYou: 'About you',
  roleLegend: 'You are',
  roles: { mother: 'The mother', father: 'The father', co_parent: 'The co-parent' },
  childLegend: 'Your child',
  pregnant: 'I am pregnant (or my partner is)',
  childAgeLabel: "Child's age in weeks",
  childAgeHint: 'From 0 to 104 weeks. Leave empty if the birth is still to come and tick the box.',
  postalCodeLabel: 'Your postal code (optional)',
  postalCodeHint: 'To show you the nearest help.',
  honeypotLabel: 'Do not fill in this field',
  roleRequired: 'Say whether you are the mother, the father or the co-parent.',
  childRequired: "Give the child's age in weeks (0 to 104), or say that the birth is still to come.",
  postalCodeInvalid: 'The postal code must have 5 digits (for example 62100), or stay empty.',
  tooFastTitle: 'Take your time',
  tooFast:
    'Your answers arrived very quickly. Read them through calmly, then send them again: they are kept on this page.',
  refusedTitle: 'Your form could not be taken into account',
  refused:
    'The form held a field that must stay empty. If you need help now, the contacts below are there for you.',
  rateLimited: 'Many questionnaires were sent from this connection. Try again in a few minutes.',
  results: {
    low: {
      title: 'Thank you for your answers',
      body: 'Your answers show no particular difficulty at the moment. The weeks around a birth are full of emotions: if you would like to talk, the contacts below are there, and a team can also call you.',
    },
    moderate: {
      title: 'Thank you for your answers',
      body: 'Your answers suggest that things may not always be easy at the moment. This is common around a birth, and you do not have to go through it alone. A professional can contact you to talk about it: ask below.',
    },
    high: {
      title: 'Thank you for telling us what you are going through',
      body: 'Your answers suggest you may be going through a hard time. It is not your fault, and help exists. We encourage you to ask below for a professional to contact you, or to call one of the contacts.',
    },
    item10Positive: {
      title: 'Thank you for your trust',
      body: 'Your answers tell us you are going through a hard time, and you deserve help. If you feel in danger now, call 3114 (free, 24/7) or 15 right away. You can also ask below for a professional to call you very soon.',
    },
  },
  contactTitle: 'Be contacted by a professional',
  contactIntro:
    'Leave a first name and a mobile number or an e-mail address: a perinatal team near you will contact you.',
  invitedContactIntro:
    'Would you like to talk to someone from the team supporting you? Ask to be contacted: they will call you back on the number they have.',
  invitedContactDone: 'The team supporting you has received your request and will contact you {delay}.',
  firstNameLabel: 'First name',
  phoneLabel: 'Mobile phone',
  emailLabel: 'E-mail address',
  phoneOrEmail: 'Give a valid mobile number or e-mail address.',
  channelLegend: 'How would you prefer to be contacted?',
  channels: { call: 'A call', sms: 'A text message', email: 'An e-mail' },
  slotsLegend: 'When are you available? (optional)',
  slots: { morning: 'Morning', midday: 'Midday', afternoon: 'Afternoon', evening: 'Early evening' },
  consentLabel:
    'I agree that my first name, my contact details and the summary of my answers are passed to a perinatal team so that they contact me.',
  consentRequired: 'Tick the box so that we can pass on your request.',
  firstNameRequired: 'Give a first name (1 to 60 characters).',
  contactSubmit: 'Ask to be contacted',
  contactDoneTitle: 'Your request is sent',
  contactDone: '{organisation} will contact you {delay}. If you are in immediate danger, call 3114 or 15.',
  delayHours: 'within {hours} hours',
  delayWorkingDays: 'within {days} working days',
  expiredTitle: 'This page has expired',
  expired: 'To ask to be contacted, take the questionnaire again: it takes a few minutes.',
  restart: 'Take the questionnaire again',
};

export const SCREENING_TEXT: Readonly<Record<EpdsLanguage, ScreeningText>> = { fr: FR, en: EN };

export function getScreeningText(language: EpdsLanguage): ScreeningText {
  return SCREENING_TEXT[language];
}
