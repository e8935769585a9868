import type { EpdsLanguage } from '@lien/shared';

/**
 * The privacy notice (what the CNIL expects from an information notice, RGPD art. 13: who is responsible, why
 * and on what basis, what data, who receives it, how long, the rights and how to use them, the right to complain)
 * and the accessibility statement of the parent's pages. Plain sentences, read on a phone.
 */

export interface InfoSection {
  heading: string;
  paragraphs: string[];
}

export interface InfoContext {
  /** The organisation of the link, when the link is known. */
  organisationName: string | null;
  contactPhone: string | null;
  retentionDays: number;
}

/** "1095 jours (3 ans)": the years only when exact. */
function duration(days: number, language: EpdsLanguage): string {
  const years = days % 365 === 0 ? days / 365 : null;
  if (language === 'fr') return `${days} jours${years ? ` (${years} an${years > 1 ? 's' : ''})` : ''}`;
  return `${days} days${years ? ` (${years} year${years > 1 ? 's' : ''})` : ''}`;
}

export function privacySections(language: EpdsLanguage, context: InfoContext): InfoSection[] {
  const days = duration(context.retentionDays, language);
  if (language === 'fr') {
    const team = context.organisationName
      ? `${context.organisationName}, l’équipe qui vous accompagne,`
      : 'L’équipe qui vous accompagne (PMI ou maternité, nommée dans le SMS reçu)';
    const contact = context.contactPhone
      ? `Contactez l’équipe qui vous accompagne au ${context.contactPhone}\u00a0: elle vous répond ou transmet votre demande à son délégué à la protection des données.`
      : 'Contactez l’équipe qui vous accompagne\u00a0: elle vous répond ou transmet votre demande à son délégué à la protection des données.';
    return [
      {
        heading: 'Qui est responsable de vos données',
        paragraphs: [
          `${team} est responsable de vos données. Lien est l’outil qu’elle utilise pour ce suivi.`,
        ],
      },
      {
        heading: 'Pourquoi',
        paragraphs: [
          'Pour prendre soin de votre santé après la naissance\u00a0: vous envoyer ce questionnaire par SMS, transmettre vos réponses à l’équipe et lui permettre de vous rappeler si besoin.',
          'Ce suivi repose sur votre accord, recueilli lors de votre inscription, et sur la mission de prévention et de soin de l’équipe (RGPD, articles 6 et 9).',
        ],
      },
      {
        heading: 'Quelles données',
        paragraphs: [
          'Vos nom, prénom et numéro de téléphone (chiffrés), la date de naissance de l’enfant, vos réponses au questionnaire et les suites données par l’équipe.',
        ],
      },
      {
        heading: 'Qui les voit',
        paragraphs: [
          'Seuls les professionnels de l’équipe qui vous accompagne. Les statistiques produites pour le territoire ne permettent pas de vous identifier. Vos données ne sont ni vendues ni utilisées à des fins publicitaires.',
        ],
      },
      {
        heading: 'Combien de temps',
        paragraphs: [`Vos données sont supprimées ${days} après la fin de votre suivi.`],
      },
      {
        heading: 'Vos droits',
        paragraphs: [
          'Vous pouvez accéder à vos données, les faire corriger ou effacer, en limiter l’utilisation ou vous y opposer. Vous pouvez arrêter les messages à tout moment avec le lien « Ne plus recevoir de messages ».',
          contact,
          'Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL (www.cnil.fr).',
        ],
      },
    ];
  }
  const team = context.organisationName
    ? `${context.organisationName}, the team supporting you,`
    : 'The team supporting you (named in the text message you received)';
  const contact = context.contactPhone
    ? `Contact the team supporting you on ${context.contactPhone}: they will answer or pass your request to their data protection officer.`
    : 'Contact the team supporting you: they will answer or pass your request to their data protection officer.';
  return [
    {
      heading: 'Who is responsible for your data',
      paragraphs: [`${team} is responsible for your data. Lien is the tool they use for this follow-up.`],
    },
    {
      heading: 'Why',
      paragraphs: [
        'To look after your health after the birth: to send you this questionnaire by text message, pass your answers to the team and let them call you back if needed.',
        'This follow-up rests on your agreement, given when you were enrolled, and on the team’s prevention and care mission (GDPR, articles 6 and 9).',
      ],
    },
    {
      heading: 'What data',
      paragraphs: [
        'Your name and phone number (encrypted), the baby’s date of birth, your answers to the questionnaire and what the team did next.',
      ],
    },
    {
      heading: 'Who sees it',
      paragraphs: [
        'Only the professionals of the team supporting you. Statistics produced for the area cannot identify you. Your data is never sold or used for advertising.',
      ],
    },
    {
      heading: 'How long',
      paragraphs: [`Your data is deleted ${days} after your follow-up ends.`],
    },
    {
      heading: 'Your rights',
      paragraphs: [
        'You can see your data, have it corrected or deleted, restrict its use or object to it. You can stop the messages at any time with the “Stop receiving messages” link.',
        contact,
        'If you think your rights are not respected, you can complain to the CNIL, the French data protection authority (www.cnil.fr).',
      ],
    },
  ];
}

export function accessibilitySections(language: EpdsLanguage, context: InfoContext): InfoSection[] {
  if (language === 'fr') {
    return [
      {
        heading: 'État de conformité',
        paragraphs: [
          'Ces pages visent la conformité au référentiel général d’amélioration de l’accessibilité (RGAA 4.1). Elles n’ont pas encore fait l’objet d’un audit\u00a0: elles sont donc déclarées non conformes en attendant cet audit.',
          'Elles sont vérifiées automatiquement (axe-core, critères WCAG 2.1 A et AA) sur téléphone, fonctionnent sans JavaScript, au clavier et avec un lecteur d’écran, et les questions existent au féminin, au masculin et dans une formulation neutre.',
        ],
      },
      {
        heading: 'Signaler un problème',
        paragraphs: [
          context.contactPhone
            ? `Si vous ne parvenez pas à utiliser ces pages, contactez l’équipe qui vous accompagne au ${context.contactPhone}\u00a0: elle vous proposera une autre façon de répondre.`
            : 'Si vous ne parvenez pas à utiliser ces pages, contactez l’équipe qui vous accompagne\u00a0: elle vous proposera une autre façon de répondre.',
        ],
      },
      {
        heading: 'Voies de recours',
        paragraphs: [
          'Si vous n’obtenez pas de réponse satisfaisante, vous pouvez saisir le Défenseur des droits (www.defenseurdesdroits.fr, ou par courrier gratuit\u00a0: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07).',
        ],
      },
    ];
  }
  return [
    {
      heading: 'Compliance status',
      paragraphs: [
        'These pages aim to comply with the French accessibility standard (RGAA 4.1). They have not been audited yet, so they are declared non-compliant until that audit.',
        'They are checked automatically (axe-core, WCAG 2.1 A and AA) on a phone, work without JavaScript, with a keyboard and a screen reader.',
      ],
    },
    {
      heading: 'Report a problem',
      paragraphs: [
        context.contactPhone
          ? `If you cannot use these pages, contact the team supporting you on ${context.contactPhone}: they will offer you another way to answer.`
          : 'If you cannot use these pages, contact the team supporting you: they will offer you another way to answer.',
      ],
    },
    {
      heading: 'Appeals',
      paragraphs: [
        'If you do not get a satisfactory answer, you can contact the Défenseur des droits (www.defenseurdesdroits.fr).',
      ],
    },
  ];
}
