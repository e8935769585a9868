import {
  CONTACT_REQUEST_CHANNELS,
  PARENT_ROLES,
  getEpdsInstrument,
  getEpdsUiText,
  getScreeningText,
  type ApiErrorDetail,
  type ContactRequestChannel,
  type ContactTimeSlot,
  type EpdsLanguage,
  type HelpResource,
  type ParentRole,
} from '@lien/shared';
import {
  escapeHtml,
  layout,
  renderErrorSummary,
  renderContactChoices,
  renderItems,
  renderResources,
  type FormAnswers,
  type HtmlPage,
} from '../questionnaire/questionnaire.views.js';
import { HONEYPOT_FIELD } from './screening-input.js';

/**
 * The self-screening pages: the invited questionnaire's shell, styles and EPDS items (questionnaire.views.ts),
 * with the anonymous "about you" fields, the result and the "be contacted" form. Plain forms, no JavaScript
 * needed; every dynamic value escaped.
 */

export const SCREENING_PATH = '/depistage';
export const CONTACT_PATH = '/depistage/contact';

export function screeningPath(sourceCode: string | null): string {
  return sourceCode ? `${SCREENING_PATH}/${encodeURIComponent(sourceCode)}` : SCREENING_PATH;
}

/** The hidden honeypot: off-screen, out of the tab order and of the accessibility tree. */
function honeypot(language: EpdsLanguage): string {
  const t = getScreeningText(language);
  return `<div class="hp" aria-hidden="true"><label for="${HONEYPOT_FIELD}">${escapeHtml(t.honeypotLabel)}</label><input type="text" id="${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></div>`;
}

export interface ScreeningFormView {
  language: EpdsLanguage;
  sourceCode: string | null;
  stamp: string;
  answers?: FormAnswers;
  role?: ParentRole | null;
  childAgeText?: string;
  pregnantChecked?: boolean;
  postalCodeText?: string;
  errors?: {
    missing: readonly number[];
    role: boolean;
    childAge: boolean;
    postalCode: boolean;
    unexpected: boolean;
  };
  /** A polite notice at the top (too fast, page expired), the answers kept. */
  notice?: { title: string; text: string };
  status?: number;
  embed?: boolean;
}

/** The hidden field that keeps a page embedded across its forms. */
const embedField = (embed: boolean | undefined): string =>
  embed ? '\n<input type="hidden" name="embed" value="1">' : '';

export function renderScreeningForm(view: ScreeningFormView): HtmlPage {
  const { language } = view;
  const ui = getEpdsUiText(language);
  const t = getScreeningText(language);
  const instrument = getEpdsInstrument(language);
  const errors = view.errors;
  const missing = new Set(errors?.missing ?? []);
  const extra: { href: string; text: string }[] = [];
  if (errors?.role) extra.push({ href: '#role-0', text: t.roleRequired });
  if (errors?.childAge) extra.push({ href: '#age', text: t.childRequired });
  if (errors?.postalCode) extra.push({ href: '#cp', text: t.postalCodeInvalid });
  const hasErrors = Boolean(errors && (missing.size > 0 || extra.length > 0 || errors.unexpected));
  const summary = hasErrors ? renderErrorSummary(ui, missing, errors?.unexpected === true, extra) : '';
  const notice = view.notice
    ? `<div class="card sum" id="notice" role="alert" tabindex="-1" autofocus><h2>${escapeHtml(view.notice.title)}</h2><p>${escapeHtml(view.notice.text)}</p></div>`
    : '';
  const roles = PARENT_ROLES.map(
    (role, index) =>
      `<label class="o"><input type="radio" name="role" id="role-${index}" value="${role}"${view.role === role ? ' checked' : ''}${
        errors?.role ? ' aria-invalid="true"' : ''
      }> <span>${escapeHtml(t.roles[role])}</span></label>`,
  ).join('\n');
  const bad = (flag: boolean | undefined, id: string, message: string): string =>
    flag ? `<p class="em" id="${id}-err">${escapeHtml(message)}</p>\n` : '';
  const invalidAttr = (flag: boolean | undefined, id: string): string =>
    flag ? ` aria-invalid="true" aria-describedby="${id}-hint ${id}-err"` : ` aria-describedby="${id}-hint"`;
  const body = `<h1>${escapeHtml(t.pageTitle)}</h1>
<p class="sub">${escapeHtml(instrument.title)}</p>
${notice}${summary}
<p>${escapeHtml(t.intro)}</p>
<p>${escapeHtml(t.anonymous)}</p>
<form id="f" method="post" action="${escapeHtml(screeningPath(view.sourceCode))}" novalidate>
<input type="hidden" name="lang" value="${language}">
<input type="hidden" name="ts" value="${escapeHtml(view.stamp)}">${embedField(view.embed)}
${honeypot(language)}
<h2>${escapeHtml(t.aboutYou)}</h2>
<fieldset id="role"${errors?.role ? ' class="bad" aria-describedby="role-err"' : ''}>
<legend>${escapeHtml(t.roleLegend)}</legend>
${bad(errors?.role, 'role', t.roleRequired)}${roles}
</fieldset>
<fieldset id="child"${errors?.childAge ? ' class="bad"' : ''}>
<legend>${escapeHtml(t.childLegend)}</legend>
${bad(errors?.childAge, 'age', t.childRequired)}<label class="f" for="age">${escapeHtml(t.childAgeLabel)}</label>
<p class="n" id="age-hint">${escapeHtml(t.childAgeHint)}</p>
<input class="i" type="text" inputmode="numeric" id="age" name="age" maxlength="3" value="${escapeHtml(view.childAgeText ?? '')}"${invalidAttr(errors?.childAge, 'age')}>
<label class="o"><input type="checkbox" name="pregnant" value="yes"${view.pregnantChecked ? ' checked' : ''}> <span>${escapeHtml(t.pregnant)}</span></label>
</fieldset>
<fieldset id="place"${errors?.postalCode ? ' class="bad"' : ''}>
<legend>${escapeHtml(t.postalCodeLabel)}</legend>
${bad(errors?.postalCode, 'cp', t.postalCodeInvalid)}<label class="f" for="cp">${escapeHtml(t.postalCodeLabel)}</label>
<p class="n" id="cp-hint">${escapeHtml(t.postalCodeHint)}</p>
<input class="i" type="text" inputmode="numeric" autocomplete="postal-code" id="cp" name="cp" maxlength="5" value="${escapeHtml(view.postalCodeText ?? '')}"${invalidAttr(errors?.postalCode, 'cp')}>
</fieldset>
<h2 id="questions" tabindex="-1">${escapeHtml(instrument.itemsLeadIn)}</h2>
<p>${escapeHtml(instrument.instructions)}</p>
${renderItems(language, view.answers ?? [], missing)}
<button type="submit">${escapeHtml(ui.submit)}</button>
</form>`;
  return {
    status: view.status ?? (hasErrors ? 400 : 200),
    html: layout({
      language,
      title: hasErrors ? `${ui.errorTitlePrefix}${t.pageTitle}` : t.pageTitle,
      body,
      switchPath: screeningPath(view.sourceCode),
      skipTo: { id: 'questions', label: ui.skipToQuestions },
      script: true,
      embed: view.embed === true,
    }),
  };
}

export interface ContactFormState {
  stamp: string;
  postalCodeText?: string;
  firstName?: string;
  phone?: string;
  email?: string;
  channel?: ContactRequestChannel | null;
  timeSlots?: readonly ContactTimeSlot[];
  consent?: boolean;
  /** Field problems, named as the JSON API names them: firstName, phone, email, channel, postalCode, consent. */
  errors?: readonly ApiErrorDetail[];
  embed?: boolean;
}

function renderContactForm(language: EpdsLanguage, state: ContactFormState): string {
  const t = getScreeningText(language);
  const ui = getEpdsUiText(language);
  const errors = state.errors ?? [];
  const has = (field: string): boolean => errors.some((error) => error.field === field);
  const messageOf = (field: string, fallback: string): string => (has(field) ? fallback : '');
  const fieldMessages: Record<string, string> = {
    firstName: messageOf('firstName', t.firstNameRequired),
    phone: messageOf('phone', t.phoneOrEmail),
    email: messageOf('email', t.phoneOrEmail),
    channel: messageOf('channel', t.channelLegend),
    postalCode: messageOf('postalCode', t.postalCodeInvalid),
    consent: messageOf('consent', t.consentRequired),
  };
  const summary = errors.length
    ? `<div class="card sum" id="errors" role="alert" tabindex="-1" autofocus><h2>${escapeHtml(ui.errorSummaryTitle)}</h2><ul>${Object.entries(
        fieldMessages,
      )
        .filter(([, message]) => message)
        .map(([field, message]) => `<li><a href="#c-${field}">${escapeHtml(message)}</a></li>`)
        .join('')}</ul></div>`
    : '';
  /** `key`: the field as errors name it (and the element id); `name`: the form field. */
  const input = (
    key: string,
    name: string,
    label: string,
    type: string,
    value: string,
    extra: string,
  ): string =>
    `<label class="f" for="c-${key}">${escapeHtml(label)}</label>
${fieldMessages[key] ? `<p class="em" id="c-${key}-err">${escapeHtml(fieldMessages[key])}</p>\n` : ''}<input class="i" type="${type}" id="c-${key}" name="${name}" value="${escapeHtml(value)}"${extra}${
      fieldMessages[key] ? ` aria-invalid="true" aria-describedby="c-${key}-err"` : ''
    }>`;
  const choices = renderContactChoices(t, {
    channels: CONTACT_REQUEST_CHANNELS,
    channel: state.channel ?? 'call',
    slots: state.timeSlots ?? [],
    radioId: 'c-channel',
  });
  return `<section aria-labelledby="contact-title">
<h2 id="contact-title">${escapeHtml(t.contactTitle)}</h2>
${summary}<p>${escapeHtml(t.contactIntro)}</p>
<form method="post" action="${CONTACT_PATH}" novalidate>
<input type="hidden" name="lang" value="${language}">
<input type="hidden" name="ts" value="${escapeHtml(state.stamp)}">${embedField(state.embed)}
${honeypot(language)}
<div class="card">
${input('firstName', 'first_name', t.firstNameLabel, 'text', state.firstName ?? '', ' autocomplete="given-name" maxlength="60"')}
${input('phone', 'phone', t.phoneLabel, 'tel', state.phone ?? '', ' autocomplete="tel" maxlength="30"')}
${input('email', 'email', t.emailLabel, 'email', state.email ?? '', ' autocomplete="email" maxlength="254"')}
${input('postalCode', 'cp', t.postalCodeLabel, 'text', state.postalCodeText ?? '', ' inputmode="numeric" autocomplete="postal-code" maxlength="5"')}
</div>
${choices}
<fieldset${has('consent') ? ' class="bad"' : ''}><legend>${escapeHtml(t.contactTitle)}</legend>
${fieldMessages.consent ? `<p class="em" id="c-consent-err">${escapeHtml(fieldMessages.consent)}</p>\n` : ''}<label class="o"><input type="checkbox" id="c-consent" name="consent" value="yes"${state.consent ? ' checked' : ''}${
    has('consent') ? ' aria-invalid="true" aria-describedby="c-consent-err"' : ''
  }> <span>${escapeHtml(t.consentLabel)}</span></label>
</fieldset>
<button type="submit">${escapeHtml(t.contactSubmit)}</button>
</form>
</section>`;
}

export interface ScreeningResultView {
  language: EpdsLanguage;
  band: 'low' | 'moderate' | 'high';
  item10Positive: boolean;
  resources: readonly HelpResource[];
  /** Null: no contact form (the screening was not stored). */
  contact: ContactFormState | null;
  status?: number;
  embed?: boolean;
}

/** The result: message, resources (emergency first when item 10 is positive), then the "be contacted" form. */
export function renderScreeningResult(view: ScreeningResultView): HtmlPage {
  const ui = getEpdsUiText(view.language);
  const t = getScreeningText(view.language);
  const message = t.results[view.item10Positive ? 'item10Positive' : view.band];
  const body = `<h1>${escapeHtml(message.title)}</h1>
<p>${escapeHtml(message.body)}</p>
<h2>${escapeHtml(ui.resourcesTitle)}</h2>
${renderResources(ui, view.resources)}
${view.contact ? renderContactForm(view.language, view.contact) : ''}`;
  return {
    status: view.status ?? 200,
    html: layout({
      language: view.language,
      title: message.title,
      body,
      switchPath: null,
      embed: view.embed === true,
    }),
  };
}

/** The contact form alone, again: fields to correct, or a polite "take your time". */
export function renderContactRetry(
  language: EpdsLanguage,
  state: ContactFormState,
  resources: readonly HelpResource[],
  notice?: { title: string; text: string },
  embed = false,
): HtmlPage {
  const ui = getEpdsUiText(language);
  const t = getScreeningText(language);
  const noticeHtml = notice
    ? `<div class="card sum" id="notice" role="alert" tabindex="-1" autofocus><h2>${escapeHtml(notice.title)}</h2><p>${escapeHtml(notice.text)}</p></div>\n`
    : '';
  const body = `<h1>${escapeHtml(t.contactTitle)}</h1>
${noticeHtml}${renderContactForm(language, state).replace(/^<section[^>]*>\n<h2[^>]*>[^<]*<\/h2>\n/, '<section>\n')}
<h2>${escapeHtml(ui.emergencyTitle)}</h2>
${renderResources(
  ui,
  resources.filter((resource) => resource.kind === 'emergency'),
)}`;
  return {
    status: 400,
    html: layout({
      language,
      title: `${ui.errorTitlePrefix}${t.contactTitle}`,
      body,
      switchPath: null,
      embed,
    }),
  };
}

export function renderContactDone(
  language: EpdsLanguage,
  organisationName: string,
  delay: string,
  resources: readonly HelpResource[],
  embed = false,
): HtmlPage {
  const ui = getEpdsUiText(language);
  const t = getScreeningText(language);
  const text = t.contactDone.replace('{organisation}', organisationName).replace('{delay}', delay);
  const body = `<h1>${escapeHtml(t.contactDoneTitle)}</h1>
<p>${escapeHtml(text)}</p>
<h2>${escapeHtml(ui.resourcesTitle)}</h2>
${renderResources(ui, resources)}`;
  return {
    status: 200,
    html: layout({ language, title: t.contactDoneTitle, body, switchPath: null, embed }),
  };
}

/** Refused, expired, rate limited: a kind page with the emergency numbers and a way back. */
export function renderScreeningNotice(
  status: number,
  language: EpdsLanguage,
  title: string,
  paragraphs: readonly string[],
  resources: readonly HelpResource[],
  restartPath: string | null,
  embed = false,
): HtmlPage {
  const ui = getEpdsUiText(language);
  const t = getScreeningText(language);
  const body = `<h1>${escapeHtml(title)}</h1>
${paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
${restartPath ? `<p><a class="btn" href="${escapeHtml(`${restartPath}?lang=${language}${embed ? '&embed=1' : ''}`)}">${escapeHtml(t.restart)}</a></p>\n` : ''}${
    resources.length ? `<h2>${escapeHtml(ui.emergencyTitle)}</h2>\n${renderResources(ui, resources)}` : ''
  }`;
  return { status, html: layout({ language, title, body, switchPath: null, embed }) };
}
