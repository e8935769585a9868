import {
  EPDS_CITATION,
  EPDS_INSTRUMENT_VERSION,
  type EpdsInstrument,
  type EpdsWordingText,
} from './types.js';

/** On screen: Lien asks after the birth, so not "As you are pregnant or have recently had a baby". */
const AFTER_BIRTH: EpdsWordingText = {
  instructions:
    'As you have recently had a baby, we would like to know how you are feeling. Please check the answer that comes closest to how you have felt IN THE PAST 7 DAYS, not just how you feel today.',
};

/**
 * English EPDS, wording of Cox, Holden & Sagovsky 1987 as distributed by the Royal College of Psychiatrists
 * (the "As you are pregnant or have recently had a baby" / "check" edition). Verbatim: do not edit.
 * Points: items 1, 2, 4 score 0..3 from first to last option; items 3, 5-10 score 3..0.
 */
export const EPDS_EN: EpdsInstrument = {
  id: 'epds',
  version: EPDS_INSTRUMENT_VERSION,
  language: 'en',
  direction: 'ltr',
  title: 'Edinburgh Postnatal Depression Scale',
  instructions:
    'As you are pregnant or have recently had a baby, we would like to know how you are feeling. Please check the answer that comes closest to how you have felt IN THE PAST 7 DAYS, not just how you feel today.',
  itemsLeadIn: 'In the past 7 days:',
  citation: EPDS_CITATION,
  items: [
    {
      number: 1,
      text: 'I have been able to laugh and see the funny side of things',
      options: [
        { text: 'As much as I always could', points: 0 },
        { text: 'Not quite so much now', points: 1 },
        { text: 'Definitely not so much now', points: 2 },
        { text: 'Not at all', points: 3 },
      ],
    },
    {
      number: 2,
      text: 'I have looked forward with enjoyment to things',
      options: [
        { text: 'As much as I ever did', points: 0 },
        { text: 'Rather less than I used to', points: 1 },
        { text: 'Definitely less than I used to', points: 2 },
        { text: 'Hardly at all', points: 3 },
      ],
    },
    {
      number: 3,
      text: 'I have blamed myself unnecessarily when things went wrong',
      options: [
        { text: 'Yes, most of the time', points: 3 },
        { text: 'Yes, some of the time', points: 2 },
        { text: 'Not very often', points: 1 },
        { text: 'No, never', points: 0 },
      ],
    },
    {
      number: 4,
      text: 'I have been anxious or worried for no good reason',
      options: [
        { text: 'No, not at all', points: 0 },
        { text: 'Hardly ever', points: 1 },
        { text: 'Yes, sometimes', points: 2 },
        { text: 'Yes, very often', points: 3 },
      ],
    },
    {
      number: 5,
      text: 'I have felt scared or panicky for no very good reason',
      options: [
        { text: 'Yes, quite a lot', points: 3 },
        { text: 'Yes, sometimes', points: 2 },
        { text: 'No, not much', points: 1 },
        { text: 'No, not at all', points: 0 },
      ],
    },
    {
      number: 6,
      text: 'Things have been getting on top of me',
      options: [
        { text: "Yes, most of the time I haven't been able to cope at all", points: 3 },
        { text: "Yes, sometimes I haven't been coping as well as usual", points: 2 },
        { text: 'No, most of the time I have coped quite well', points: 1 },
        { text: 'No, I have been coping as well as ever', points: 0 },
      ],
    },
    {
      number: 7,
      text: 'I have been so unhappy that I have had difficulty sleeping',
      options: [
        { text: 'Yes, most of the time', points: 3 },
        { text: 'Yes, sometimes', points: 2 },
        { text: 'Not very often', points: 1 },
        { text: 'No, not at all', points: 0 },
      ],
    },
    {
      number: 8,
      text: 'I have felt sad or miserable',
      options: [
        { text: 'Yes, most of the time', points: 3 },
        { text: 'Yes, quite often', points: 2 },
        { text: 'Not very often', points: 1 },
        { text: 'No, not at all', points: 0 },
      ],
    },
    {
      number: 9,
      text: 'I have been so unhappy that I have been crying',
      options: [
        { text: 'Yes, most of the time', points: 3 },
        { text: 'Yes, quite often', points: 2 },
        { text: 'Only occasionally', points: 1 },
        { text: 'No, never', points: 0 },
      ],
    },
    {
      number: 10,
      text: 'The thought of harming myself has occurred to me',
      options: [
        { text: 'Yes, quite often', points: 3 },
        { text: 'Sometimes', points: 2 },
        { text: 'Hardly ever', points: 1 },
        { text: 'Never', points: 0 },
      ],
    },
  ],
  // English items have no grammatical gender: every wording keeps them.
  wordings: { feminine: AFTER_BIRTH, masculine: AFTER_BIRTH, inclusive: AFTER_BIRTH },
};
