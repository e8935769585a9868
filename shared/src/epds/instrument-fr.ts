import { EPDS_INSTRUMENT_VERSION, type EpdsInstrument, type EpdsWordingText } from './types.js';

const INSTRUCTIONS_START =
  "Vous venez d'avoir un bébé. Nous aimerions savoir comment vous vous sentez. Nous vous demandons de bien vouloir remplir ce questionnaire en cochant la réponse qui vous semble le mieux décrire ";
const INSTRUCTIONS_END =
  " durant la semaine (c'est-à-dire sur les 7 jours qui viennent de s'écouler) et pas seulement au jour d'aujourd'hui.";

/** Items 1 and 10 and most options are already neutral: they are repeated so every wording reads on its own. */
const ITEM_1 = {
  text: "J'ai pu rire et prendre les choses du bon côté",
  options: [
    "Aussi souvent que d'habitude",
    'Pas tout-à-fait autant',
    'Vraiment beaucoup moins souvent ces jours-ci',
    'Absolument pas',
  ],
};
const ITEM_2_OPTIONS = [
  "Autant que d'habitude",
  "Plutôt moins que d'habitude",
  "Vraiment moins que d'habitude",
  'Pratiquement pas',
];
const ITEM_3_OPTIONS = ['Oui, la plupart du temps', 'Oui, parfois', 'Pas très souvent', 'Non, jamais'];
const ITEM_4_OPTIONS = ['Non, pas du tout', 'Presque jamais', 'Oui, parfois', 'Oui, très souvent'];
const ITEM_5_OPTIONS = ['Oui, vraiment souvent', 'Oui, parfois', 'Non, pas très souvent', 'Non, pas du tout'];
const ITEM_7_OPTIONS = ['Oui, la plupart du temps', 'Oui, parfois', 'Pas très souvent', 'Non, pas du tout'];
const ITEM_8_OPTIONS = [
  'Oui, la plupart du temps',
  'Oui, très souvent',
  'Pas très souvent',
  'Non, pas du tout',
];
const ITEM_9_OPTIONS = [
  'Oui, la plupart du temps',
  'Oui, très souvent',
  'Seulement de temps en temps',
  'Non, jamais',
];
const ITEM_10 = {
  text: "Il m'est arrivé de penser à me faire du mal",
  options: ['Oui, très souvent', 'Parfois', 'Presque jamais', 'Jamais'],
};
const COPED = "Non, j'ai pu faire face à la plupart des situations";

/** The validated wording with the digital instruction ("en cochant") instead of the paper one. */
const FEMININE: EpdsWordingText = {
  instructions: `${INSTRUCTIONS_START}comment vous vous êtes sentie${INSTRUCTIONS_END}`,
};

const MASCULINE: EpdsWordingText = {
  instructions: `${INSTRUCTIONS_START}comment vous vous êtes senti${INSTRUCTIONS_END}`,
  items: [
    ITEM_1,
    { text: "Je me suis senti confiant et joyeux en pensant à l'avenir", options: ITEM_2_OPTIONS },
    {
      text: "Je me suis reproché, sans raisons, d'être responsable quand les choses allaient mal",
      options: ITEM_3_OPTIONS,
    },
    { text: 'Je me suis senti inquiet ou soucieux sans motifs', options: ITEM_4_OPTIONS },
    { text: 'Je me suis senti effrayé ou paniqué sans vraiment de raisons', options: ITEM_5_OPTIONS },
    {
      text: "J'ai eu tendance à me sentir dépassé par les évènements",
      options: [
        'Oui, la plupart du temps, je me suis senti incapable de faire face aux situations',
        "Oui, parfois, je ne me suis pas senti aussi capable de faire face que d'habitude",
        COPED,
        "Non, je me suis senti aussi efficace que d'habitude",
      ],
    },
    {
      text: "Je me suis senti si malheureux que j'ai eu des problèmes de sommeil",
      options: ITEM_7_OPTIONS,
    },
    { text: 'Je me suis senti triste ou peu heureux', options: ITEM_8_OPTIONS },
    { text: "Je me suis senti si malheureux que j'en ai pleuré", options: ITEM_9_OPTIONS },
    ITEM_10,
  ],
};

/** For co-parents: rephrased without agreement, or both forms ("inquiet ou inquiète"); no median dot. */
const INCLUSIVE: EpdsWordingText = {
  instructions: `${INSTRUCTIONS_START}ce que vous avez ressenti${INSTRUCTIONS_END}`,
  items: [
    ITEM_1,
    { text: "J'ai envisagé l'avenir avec confiance et avec joie", options: ITEM_2_OPTIONS },
    {
      text: "Je me suis reproché, sans raisons, d'être responsable quand les choses allaient mal",
      options: ITEM_3_OPTIONS,
    },
    { text: "J'ai été inquiet ou inquiète, ou soucieux ou soucieuse, sans motifs", options: ITEM_4_OPTIONS },
    { text: "J'ai eu peur ou j'ai paniqué sans vraiment de raisons", options: ITEM_5_OPTIONS },
    {
      text: "J'ai eu tendance à avoir l'impression que les évènements me dépassaient",
      options: [
        "Oui, la plupart du temps, j'ai eu le sentiment d'être incapable de faire face aux situations",
        "Oui, parfois, je n'ai pas eu le sentiment d'être aussi capable de faire face que d'habitude",
        COPED,
        "Non, j'ai eu le sentiment d'être aussi efficace que d'habitude",
      ],
    },
    {
      text: "J'ai été si malheureux ou malheureuse que j'ai eu des problèmes de sommeil",
      options: ITEM_7_OPTIONS,
    },
    { text: "J'ai ressenti de la tristesse, ou peu de joie", options: ITEM_8_OPTIONS },
    { text: "J'ai été si malheureux ou malheureuse que j'en ai pleuré", options: ITEM_9_OPTIONS },
    ITEM_10,
  ],
};

/**
 * French EPDS, validated version of Guedeney & Fermanian 1998 (Eur Psychiatry 13:83-9). Verbatim: do not
 * edit, not even to make it gender-neutral (the validated text is worded for the mother). The instructions
 * keep the published "en soulignant" (the page shows the `wordings`, which say "en cochant"); the paper example ("Je me suis sentie heureuse") is left out as the
 * English online edition does.
 * Points: items 1, 2, 4 score 0..3 from first to last option; items 3, 5-10 score 3..0.
 */
export const EPDS_FR: EpdsInstrument = {
  id: 'epds',
  version: EPDS_INSTRUMENT_VERSION,
  language: 'fr',
  direction: 'ltr',
  title: "Échelle de dépression postnatale d'Édimbourg (EPDS)",
  instructions:
    "Vous venez d'avoir un bébé. Nous aimerions savoir comment vous vous sentez. Nous vous demandons de bien vouloir remplir ce questionnaire en soulignant la réponse qui vous semble le mieux décrire comment vous vous êtes sentie durant la semaine (c'est-à-dire sur les 7 jours qui viennent de s'écouler) et pas seulement au jour d'aujourd'hui.",
  itemsLeadIn: "Pendant la semaine qui vient de s'écouler :",
  citation:
    'Cox JL, Holden JM, Sagovsky R. Detection of postnatal depression. Development of the 10-item Edinburgh Postnatal Depression Scale. Br J Psychiatry 1987;150:782-6. Validation française : Guedeney N, Fermanian J. Eur Psychiatry 1998;13:83-9.',
  items: [
    {
      number: 1,
      text: "J'ai pu rire et prendre les choses du bon côté",
      options: [
        { text: "Aussi souvent que d'habitude", points: 0 },
        { text: 'Pas tout-à-fait autant', points: 1 },
        { text: 'Vraiment beaucoup moins souvent ces jours-ci', points: 2 },
        { text: 'Absolument pas', points: 3 },
      ],
    },
    {
      number: 2,
      text: "Je me suis sentie confiante et joyeuse en pensant à l'avenir",
      options: [
        { text: "Autant que d'habitude", points: 0 },
        { text: "Plutôt moins que d'habitude", points: 1 },
        { text: "Vraiment moins que d'habitude", points: 2 },
        { text: 'Pratiquement pas', points: 3 },
      ],
    },
    {
      number: 3,
      text: "Je me suis reprochée, sans raisons, d'être responsable quand les choses allaient mal",
      options: [
        { text: 'Oui, la plupart du temps', points: 3 },
        { text: 'Oui, parfois', points: 2 },
        { text: 'Pas très souvent', points: 1 },
        { text: 'Non, jamais', points: 0 },
      ],
    },
    {
      number: 4,
      text: 'Je me suis sentie inquiète ou soucieuse sans motifs',
      options: [
        { text: 'Non, pas du tout', points: 0 },
        { text: 'Presque jamais', points: 1 },
        { text: 'Oui, parfois', points: 2 },
        { text: 'Oui, très souvent', points: 3 },
      ],
    },
    {
      number: 5,
      text: 'Je me suis sentie effrayée ou paniquée sans vraiment de raisons',
      options: [
        { text: 'Oui, vraiment souvent', points: 3 },
        { text: 'Oui, parfois', points: 2 },
        { text: 'Non, pas très souvent', points: 1 },
        { text: 'Non, pas du tout', points: 0 },
      ],
    },
    {
      number: 6,
      text: "J'ai eu tendance à me sentir dépassée par les évènements",
      options: [
        {
          text: 'Oui, la plupart du temps, je me suis sentie incapable de faire face aux situations',
          points: 3,
        },
        {
          text: "Oui, parfois, je ne me suis pas sentie aussi capable de faire face que d'habitude",
          points: 2,
        },
        { text: "Non, j'ai pu faire face à la plupart des situations", points: 1 },
        { text: "Non, je me suis sentie aussi efficace que d'habitude", points: 0 },
      ],
    },
    {
      number: 7,
      text: "Je me suis sentie si malheureuse que j'ai eu des problèmes de sommeil",
      options: [
        { text: 'Oui, la plupart du temps', points: 3 },
        { text: 'Oui, parfois', points: 2 },
        { text: 'Pas très souvent', points: 1 },
        { text: 'Non, pas du tout', points: 0 },
      ],
    },
    {
      number: 8,
      text: 'Je me suis sentie triste ou peu heureuse',
      options: [
        { text: 'Oui, la plupart du temps', points: 3 },
        { text: 'Oui, très souvent', points: 2 },
        { text: 'Pas très souvent', points: 1 },
        { text: 'Non, pas du tout', points: 0 },
      ],
    },
    {
      number: 9,
      text: "Je me suis sentie si malheureuse que j'en ai pleuré",
      options: [
        { text: 'Oui, la plupart du temps', points: 3 },
        { text: 'Oui, très souvent', points: 2 },
        { text: 'Seulement de temps en temps', points: 1 },
        { text: 'Non, jamais', points: 0 },
      ],
    },
    {
      number: 10,
      text: "Il m'est arrivé de penser à me faire du mal",
      options: [
        { text: 'Oui, très souvent', points: 3 },
        { text: 'Parfois', points: 2 },
        { text: 'Presque jamais', points: 1 },
        { text: 'Jamais', points: 0 },
      ],
    },
  ],
  wordings: { feminine: FEMININE, masculine: MASCULINE, inclusive: INCLUSIVE },
};
