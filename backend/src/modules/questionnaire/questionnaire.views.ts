import { createHash } from 'node:crypto';
import {
  CONTACT_TIME_SLOTS,
  EPDS_ITEM_COUNT,
  getScreeningText,
  EPDS_MAX_SCORE,
  EPDS_WORDINGS,
  SUPPORTED_EPDS_LANGUAGES,
  formatUiText,
  getEpdsInstrument,
  getEpdsUiText,
  hasEpdsItemWordings,
  telUri,
  wordEpdsInstrument,
  type ContactRequestChannel,
  type ContactTimeSlot,
  type EpdsLanguage,
  type EpdsWording,
  type EpdsUiText,
  type HelpResource,
  type ResultMessage,
  type ScreeningText,
} from '@lien/shared';

/**
 * The parent's pages, rendered on the server as plain HTML: a real form that works without JavaScript, on old
 * phones and weak networks. One inline stylesheet and one tiny optional script, both allowed by their SHA-256 in
 * the page's own Content-Security-Policy; nothing is loaded from anywhere else. Every dynamic value is escaped.
 */

export interface HtmlPage {
  status: number;
  html: string;
}

/** Mobile first, system fonts, 48 px answer rows, visible focus, logical properties for right-to-left. */
const CSS = `*,::before,::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f5f3ef;color:#1c1c1c;font:1.125rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
.w{max-width:40rem;margin:0 auto;padding:.75rem 1rem 2rem}
a{color:#0a4c86;text-underline-offset:.15em}
:focus-visible{outline:3px solid #0a4c86;outline-offset:2px}
.skip{position:absolute;inset-inline-start:-999rem;top:.5rem;padding:.75rem 1rem;background:#fff}
.skip:focus{inset-inline-start:.5rem}
.top{display:flex;justify-content:flex-end}
.top a{display:inline-block;padding:.625rem .25rem;min-height:2.75rem}
h1{font-size:1.625rem;line-height:1.25;margin:.25rem 0 .75rem}
h2{font-size:1.25rem;line-height:1.3;margin:1.75rem 0 .75rem}
h3{font-size:1.125rem;margin:0 0 .25rem}
p{margin:0 0 1rem}
.sub{font-size:1rem;color:#4a4a4a}
.card,fieldset{background:#fff;border:0;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12);margin:0 0 1.25rem;padding:1rem}
legend{float:left;width:100%;padding:0;margin:0 0 .5rem;font-weight:600}
legend+*{clear:both}
.n{display:block;font-size:.9375rem;font-weight:400;color:#4a4a4a}
.o{display:flex;align-items:center;gap:.75rem;min-height:3rem;margin-top:.5rem;padding:.625rem .75rem;border:2px solid #767676;border-radius:10px;cursor:pointer}
.o input{flex:none;width:1.5rem;height:1.5rem;margin:0;accent-color:#0a4c86}
.o:focus-within{outline:3px solid #0a4c86;outline-offset:2px}
.o:has(input:checked){border-color:#0a4c86;background:#e7eff8}
.bad{box-shadow:inset 4px 0 0 #b3261e,0 1px 3px rgba(0,0,0,.12)}
[dir=rtl] .bad{box-shadow:inset -4px 0 0 #b3261e,0 1px 3px rgba(0,0,0,.12)}
.em{color:#b3261e;font-weight:600;margin:.25rem 0 0}
.sum{border:3px solid #b3261e;box-shadow:none}
.sum h2{margin-top:0}
.sum ul{margin:0;padding-inline-start:1.25rem}
.sum a{color:#b3261e;font-weight:600}
.sum:focus{outline:3px solid #1c1c1c}
button,.btn{display:block;width:100%;min-height:3rem;padding:.75rem 1rem;border:0;border-radius:10px;background:#0a4c86;color:#fff;font:inherit;font-weight:600;text-align:center;text-decoration:none;cursor:pointer}
button:focus-visible,.btn:focus-visible{outline:3px solid #1c1c1c;outline-offset:3px}
button[disabled]{opacity:.7}
.res{list-style:none;margin:0;padding:0}
.res li{background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12);margin:0 0 .75rem;padding:1rem}
.res .u{border-inline-start:6px solid #b3261e}
.res p{margin:.25rem 0 .5rem}
.tel{display:inline-block;min-height:2.75rem;margin:.25rem .5rem .25rem 0;padding:.5rem 1rem;border:2px solid #0a4c86;border-radius:10px;font-weight:600;text-decoration:none}
.lnk{display:inline-block;min-height:2.75rem;padding:.5rem 0}
.score{font-weight:600}
footer{border-top:1px solid #cfcac2;margin-top:2rem;padding-top:1rem;font-size:.875rem;color:#4a4a4a}
footer p{margin:0 0 .5rem}
.hp{position:absolute;inset-inline-start:-999rem;width:1px;height:1px;overflow:hidden}
.f{display:block;margin:.75rem 0 .25rem;font-weight:600}
.i{display:block;width:100%;min-height:3rem;padding:.5rem .75rem;border:2px solid #767676;border-radius:10px;background:#fff;font:inherit}
.wd a,footer .lnk{margin-inline-end:1rem}`;

/** Optional enhancement only: no second submission while the first is on its way (the server refuses it anyway). */
const SCRIPT = `(function(){var f=document.getElementById('f');if(!f||!f.addEventListener)return;var b=f.querySelector('button');f.addEventListener('submit',function(){setTimeout(function(){b.disabled=true},0)});window.addEventListener('pageshow',function(){b.disabled=false})})();`;

/** Embedded (the self-screening widget): tells the host page the height to give the iframe. Height only. */
const EMBED_SCRIPT = `(function(){function s(){parent.postMessage({lien:'height',height:Math.ceil(document.documentElement.getBoundingClientRect().height)},'*')}window.addEventListener('load',s);window.addEventListener('resize',s);if(window.ResizeObserver)new ResizeObserver(s).observe(document.body)})();`;

const sha256 = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** This page's own policy: stricter than the console's (no inline style or script but these two). */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${sha256(CSS)}`,
  `script-src ${sha256(SCRIPT)}`,
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** The embeddable self-screening page: framed by any partner site, with the height script allowed too. */
export const EMBED_PAGE_CSP = [
  "default-src 'none'",
  `style-src ${sha256(CSS)}`,
  `script-src ${sha256(SCRIPT)} ${sha256(EMBED_SCRIPT)}`,
  "img-src 'self'",
  "form-action 'self'",
  'frame-ancestors *',
  "base-uri 'none'",
].join('; ');

/** Headers of every parent page: never cached, never indexed, never referred, framed or sniffed. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex, nofollow',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': PAGE_CSP,
};

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** Path of a link page; the token is URL-encoded (it may be anything a visitor typed) then HTML-escaped. */
export function pagePath(token: string, suffix = ''): string {
  return `/q/${encodeURIComponent(token)}${suffix}`;
}

export interface LayoutInput {
  language: EpdsLanguage;
  title: string;
  body: string;
  /** Path the language links point to (without query); none on pages that cannot switch. */
  switchPath: string | null;
  /** Query kept by the language links, e.g. "&v=masculine" (already URL-safe). */
  switchQuery?: string;
  /** Skip link target, when the page has one. */
  skipTo?: { id: string; label: string };
  script?: boolean;
  /** Inside a partner's iframe: the height script is added. */
  embed?: boolean;
  /** The link's token, for the footer's privacy notice and accessibility statement (every page that has one). */
  token?: string | null;
}

/** The page shell every parent page shares (also the self-screening pages of the screening module). */
export function layout(input: LayoutInput): string {
  const ui = getEpdsUiText(input.language);
  const instrument = getEpdsInstrument(input.language);
  const switcher = input.switchPath
    ? `<nav class="top" aria-label="${escapeHtml(ui.changeLanguage)}">${SUPPORTED_EPDS_LANGUAGES.filter(
        (language) => language !== input.language,
      )
        .map((language) => {
          const target = getEpdsUiText(language);
          return `<a href="${escapeHtml(`${input.switchPath}?lang=${language}${input.switchQuery ?? ''}`)}" lang="${language}" hreflang="${language}">${escapeHtml(target.languageName)}</a>`;
        })
        .join(' ')}</nav>`
    : '';
  const skip = input.skipTo
    ? `<a class="skip" href="#${input.skipTo.id}">${escapeHtml(input.skipTo.label)}</a>`
    : '';
  return `<!doctype html>
<html lang="${input.language}" dir="${instrument.direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
${skip}<div class="w">
<header>${switcher}</header>
<main id="main">
${input.body}
</main>
<footer>${input.token ? infoLinks(input.token, input.language, ui) : ''}
<p>${escapeHtml(ui.sourceLabel + ui.colon + instrument.citation)}</p>
<p>${escapeHtml(ui.licence)}</p>
</footer>
</div>${input.script ? `\n<script>${SCRIPT}</script>` : ''}${input.embed ? `\n<script>${EMBED_SCRIPT}</script>` : ''}
</body>
</html>`;
}

function infoLinks(token: string, language: EpdsLanguage, ui: EpdsUiText): string {
  return `\n<p><a class="lnk" href="${escapeHtml(`${pagePath(token, '/privacy')}?lang=${language}`)}">${escapeHtml(ui.privacyTitle)}</a> <a class="lnk" href="${escapeHtml(`${pagePath(token, '/accessibility')}?lang=${language}`)}">${escapeHtml(ui.accessibilityTitle)}</a></p>`;
}

/** Answers as the page knows them: one entry per item, undefined when not (validly) answered. */
export type FormAnswers = readonly (number | undefined)[];

export interface FormErrors {
  /** Item numbers (1..10) without a valid answer. */
  missing: readonly number[];
  /** The form carried fields the page never sends. */
  unexpected: boolean;
}

/** The error summary at the top of a form: every unanswered item, linked to its first option. */
export function renderErrorSummary(
  ui: EpdsUiText,
  missing: ReadonlySet<number>,
  unexpected: boolean,
  extra: readonly { href: string; text: string }[] = [],
): string {
  const questionLabel = (number: number): string =>
    formatUiText(ui.questionLabel, { number, total: EPDS_ITEM_COUNT });
  const title = missing.size > 0 || extra.length > 0 ? ui.errorSummaryTitle : ui.formInvalid;
  return `<div class="card sum" id="errors" role="alert" tabindex="-1" autofocus>
<h2>${escapeHtml(title)}</h2>
<ul>${unexpected && (missing.size > 0 || extra.length > 0) ? `<li>${escapeHtml(ui.formInvalid)}</li>` : ''}${extra
    .map((item) => `<li><a href="${escapeHtml(item.href)}">${escapeHtml(item.text)}</a></li>`)
    .join('')}${[...missing]
    .sort((a, b) => a - b)
    .map((number) => `<li><a href="#q${number}-0">${escapeHtml(questionLabel(number))}</a></li>`)
    .join('')}</ul>
</div>`;
}

/** The EPDS items as fieldsets of radio buttons (names q1..q10, values the option indexes). */
export function renderItems(
  language: EpdsLanguage,
  answers: FormAnswers,
  missing: ReadonlySet<number>,
  /** Grammatical wording (from the parent's role, or chosen on the page); never changes the scoring. */
  wording: EpdsWording = 'feminine',
): string {
  const ui = getEpdsUiText(language);
  const instrument = wordEpdsInstrument(getEpdsInstrument(language), wording);
  const total = instrument.items.length;
  const questionLabel = (number: number): string => formatUiText(ui.questionLabel, { number, total });
  return instrument.items
    .map((item, index) => {
      const name = `q${item.number}`;
      const bad = missing.has(item.number);
      const chosen = answers[index];
      const options = item.options
        .map(
          (option, optionIndex) =>
            `<label class="o"><input type="radio" name="${name}" id="${name}-${optionIndex}" value="${optionIndex}"${
              chosen === optionIndex ? ' checked' : ''
            }${bad ? ' aria-invalid="true"' : ''}> <span>${escapeHtml(option.text)}</span></label>`,
        )
        .join('\n');
      return `<fieldset id="${name}"${bad ? ` class="bad" aria-describedby="${name}-err"` : ''}>
<legend><span class="n">${escapeHtml(questionLabel(item.number))}</span> ${escapeHtml(item.text)}</legend>
${bad ? `<p class="em" id="${name}-err">${escapeHtml(ui.answerRequired)}</p>\n` : ''}${options}
</fieldset>`;
    })
    .join('\n');
}

export function renderQuestionnaire(
  token: string,
  language: EpdsLanguage,
  answers: FormAnswers = [],
  errors?: FormErrors,
  /** The opt-out link, for a parent who still receives messages. */
  optOut = true,
  /** Grammatical wording (from the parent's role, or chosen on the page); never changes the scoring. */
  wording: EpdsWording = 'feminine',
): HtmlPage {
  const ui = getEpdsUiText(language);
  const instrument = wordEpdsInstrument(getEpdsInstrument(language), wording);
  const missing = new Set(errors?.missing ?? []);
  const hasErrors = Boolean(errors && (missing.size > 0 || errors.unexpected));

  const summary = hasErrors ? renderErrorSummary(ui, missing, errors?.unexpected === true) : '';
  const fieldsets = renderItems(language, answers, missing, wording);

  const body = `<h1>${escapeHtml(ui.pageTitle)}</h1>
<p class="sub">${escapeHtml(instrument.title)}</p>
${summary}${wordingSwitch(token, language, wording, ui)}
<p>${escapeHtml(instrument.instructions)}</p>
<p>${escapeHtml(ui.answersNote)}</p>
<form id="f" method="post" action="${escapeHtml(pagePath(token))}" novalidate>
<input type="hidden" name="lang" value="${language}">
<input type="hidden" name="v" value="${wording}">
<h2 id="questions" tabindex="-1">${escapeHtml(instrument.itemsLeadIn)}</h2>
${fieldsets}
<button type="submit">${escapeHtml(ui.submit)}</button>
</form>${optOut ? optOutLink(token, language, ui) : ''}`;

  return {
    status: hasErrors ? 400 : 200,
    html: layout({
      language,
      title: hasErrors ? `${ui.errorTitlePrefix}${ui.pageTitle}` : ui.pageTitle,
      body,
      switchPath: pagePath(token),
      switchQuery: `&v=${wording}`,
      skipTo: { id: 'questions', label: ui.skipToQuestions },
      script: true,
      token,
    }),
  };
}

/** Plain links (no JavaScript): the current wording is marked, the others reload the page in theirs. */
function wordingSwitch(token: string, language: EpdsLanguage, wording: EpdsWording, ui: EpdsUiText): string {
  if (!hasEpdsItemWordings(getEpdsInstrument(language))) return '';
  const names: Record<EpdsWording, string> = {
    feminine: ui.wordingFeminine,
    masculine: ui.wordingMasculine,
    inclusive: ui.wordingInclusive,
  };
  const links = EPDS_WORDINGS.map((each) =>
    each === wording
      ? `<a class="lnk" aria-current="true" href="${escapeHtml(`${pagePath(token)}?lang=${language}&v=${each}`)}"><strong>${escapeHtml(names[each])}</strong></a>`
      : `<a class="lnk" href="${escapeHtml(`${pagePath(token)}?lang=${language}&v=${each}`)}">${escapeHtml(names[each])}</a>`,
  ).join(' ');
  return `<nav class="sub wd" aria-label="${escapeHtml(ui.wordingLabel)}"><p>${escapeHtml(ui.wordingLabel + ui.colon)}${links}</p></nav>
`;
}

function optOutLink(token: string, language: EpdsLanguage, ui: EpdsUiText): string {
  return `\n<p><a class="lnk" href="${escapeHtml(`${pagePath(token, '/opt-out')}?lang=${language}`)}">${escapeHtml(ui.optOut)}</a></p>`;
}

export function renderResources(ui: EpdsUiText, resources: readonly HelpResource[]): string {
  if (resources.length === 0) return '';
  const items = resources
    .map((resource) => {
      const actions = [
        resource.phone
          ? `<a class="tel" href="${escapeHtml(telUri(resource.phone))}">${escapeHtml(`${ui.call} ${resource.phone}`)}</a>`
          : '',
        resource.url && /^https?:\/\//i.test(resource.url)
          ? `<a class="lnk" href="${escapeHtml(resource.url)}" rel="noreferrer noopener">${escapeHtml(ui.website)}<span class="n">${escapeHtml(
              resource.url.replace(/^https?:\/\//i, ''),
            )}</span></a>`
          : '',
      ]
        .filter(Boolean)
        .join(' ');
      return `<li${resource.kind === 'emergency' ? ' class="u"' : ''}><h3>${escapeHtml(resource.name)}</h3>${
        resource.description ? `<p>${escapeHtml(resource.description)}</p>` : ''
      }${actions ? `<p>${actions}</p>` : ''}</li>`;
    })
    .join('\n');
  return `<ul class="res">\n${items}\n</ul>`;
}

export interface ResultView {
  token: string;
  language: EpdsLanguage;
  message: ResultMessage;
  resources: readonly HelpResource[];
  /** Only when the organisation shows the score to parents. */
  score: number | null;
  optOut: boolean;
  /** Offer "be contacted" (an active parent): the form posts to `/q/<token>/contact`. */
  contact?: boolean;
}

/** The choices of a "be contacted" form: the channels offered (radios) and the time slots (boxes), and what is ticked. */
export interface ContactChoices {
  channels: readonly ContactRequestChannel[];
  channel: ContactRequestChannel;
  slots: readonly ContactTimeSlot[];
  /** Ids of the radios, `<radioId>`, `<radioId>-1`…: an error summary links to the first. */
  radioId?: string;
}

/** The channel and time-slot fieldsets of both "be contacted" forms (invited parent, self-screening). */
export function renderContactChoices(t: ScreeningText, choices: ContactChoices): string {
  const channels = choices.channels
    .map((channel, index) => {
      const id = choices.radioId ? ` id="${choices.radioId}${index ? `-${index}` : ''}"` : '';
      const checked = choices.channel === channel ? ' checked' : '';
      return `<label class="o"><input type="radio" name="channel"${id} value="${channel}"${checked}> <span>${escapeHtml(t.channels[channel])}</span></label>`;
    })
    .join('\n');
  const slots = CONTACT_TIME_SLOTS.map(
    (slot) =>
      `<label class="o"><input type="checkbox" name="slots" value="${slot}"${choices.slots.includes(slot) ? ' checked' : ''}> <span>${escapeHtml(t.slots[slot])}</span></label>`,
  ).join('\n');
  return `<fieldset><legend>${escapeHtml(t.channelLegend)}</legend>
${channels}
</fieldset>
<fieldset><legend>${escapeHtml(t.slotsLegend)}</legend>
${slots}
</fieldset>`;
}

/** "Be contacted" for an invited parent: the team knows their number, so only channel, time slots and consent. */
export function renderInvitedContactForm(token: string, language: EpdsLanguage): string {
  const t = getScreeningText(language);
  return `<section aria-labelledby="contact-title">
<h2 id="contact-title">${escapeHtml(t.contactTitle)}</h2>
<p>${escapeHtml(t.invitedContactIntro)}</p>
<form method="post" action="${escapeHtml(pagePath(token, '/contact'))}">
<input type="hidden" name="lang" value="${language}">
${renderContactChoices(t, { channels: ['call', 'sms'], channel: 'call', slots: [] })}
<fieldset><legend>${escapeHtml(t.contactTitle)}</legend>
<label class="o"><input type="checkbox" name="consent" value="yes" required> <span>${escapeHtml(t.consentLabel)}</span></label>
</fieldset>
<button type="submit">${escapeHtml(t.contactSubmit)}</button>
</form>
</section>`;
}

export function renderResult(view: ResultView): HtmlPage {
  const ui = getEpdsUiText(view.language);
  const score =
    view.score === null
      ? ''
      : `<p class="score">${escapeHtml(formatUiText(ui.scoreLabel, { score: view.score, max: EPDS_MAX_SCORE }))}</p>\n`;
  const body = `<h1>${escapeHtml(view.message.title)}</h1>
<p>${escapeHtml(view.message.body)}</p>
${score}<h2>${escapeHtml(ui.resourcesTitle)}</h2>
${renderResources(ui, view.resources)}${view.contact ? `\n${renderInvitedContactForm(view.token, view.language)}` : ''}${
    view.optOut ? optOutLink(view.token, view.language, ui) : ''
  }`;
  // No language switch: switching would reload the questions, not this result.
  return {
    status: 200,
    html: layout({
      language: view.language,
      title: view.message.title,
      body,
      switchPath: null,
      token: view.token,
    }),
  };
}

export interface MessageView {
  status: number;
  language: EpdsLanguage;
  title: string;
  paragraphs: readonly string[];
  resourcesTitle: string;
  resources: readonly HelpResource[];
  /** Language links point here; null for none. */
  switchPath: string | null;
  /** Opt-out link for a known token. */
  optOutToken?: string;
  /** The link's token (footer links); none on pages reached without one. */
  token?: string;
}

/** Already answered, expired, unknown, too many attempts, opt-out done, unexpected error. */
export function renderMessage(view: MessageView): HtmlPage {
  const ui = getEpdsUiText(view.language);
  const optOut = view.optOutToken ? optOutLink(view.optOutToken, view.language, ui) : '';
  const body = `<h1>${escapeHtml(view.title)}</h1>
${view.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
${view.resources.length ? `<h2>${escapeHtml(view.resourcesTitle)}</h2>\n${renderResources(ui, view.resources)}` : ''}${optOut}`;
  return {
    status: view.status,
    html: layout({
      language: view.language,
      title: view.title,
      body,
      switchPath: view.switchPath,
      token: view.token ?? null,
    }),
  };
}

/** "Stop receiving messages?": a real form, so it works without JavaScript; nothing changes until it is posted. */
export function renderOptOutConfirm(token: string, language: EpdsLanguage, canGoBack: boolean): HtmlPage {
  const ui = getEpdsUiText(language);
  // Always a way back: to the questions, or to what the link shows now (answered, expired).
  const back = `\n<p><a class="lnk" href="${escapeHtml(`${pagePath(token)}?lang=${language}`)}">${escapeHtml(
    canGoBack ? ui.backToQuestions : ui.back,
  )}</a></p>`;
  const body = `<h1>${escapeHtml(ui.optOut)}</h1>
<p>${escapeHtml(ui.optOutExplanation)}</p>
<form method="post" action="${escapeHtml(pagePath(token, '/opt-out'))}">
<input type="hidden" name="lang" value="${language}">
<button type="submit">${escapeHtml(ui.optOutConfirm)}</button>
</form>${back}`;
  return {
    status: 200,
    html: layout({ language, title: ui.optOut, body, switchPath: pagePath(token, '/opt-out'), token }),
  };
}

/** Privacy notice or accessibility statement: headed sections and a way back to the link's page. */
export function renderInfoPage(
  token: string,
  language: EpdsLanguage,
  kind: 'privacy' | 'accessibility',
  sections: readonly { heading: string; paragraphs: readonly string[] }[],
): HtmlPage {
  const ui = getEpdsUiText(language);
  const title = kind === 'privacy' ? ui.privacyTitle : ui.accessibilityTitle;
  const body = `<h1>${escapeHtml(title)}</h1>
${sections
  .map(
    (section) =>
      `<h2>${escapeHtml(section.heading)}</h2>\n${section.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}`,
  )
  .join('\n')}
<p><a class="lnk" href="${escapeHtml(`${pagePath(token)}?lang=${language}`)}">${escapeHtml(ui.back)}</a></p>`;
  return {
    status: 200,
    html: layout({ language, title, body, switchPath: pagePath(token, `/${kind}`), token }),
  };
}
