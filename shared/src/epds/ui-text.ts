import type { EpdsLanguage, EpdsUiText } from './types.js';

/** Questionnaire page strings. Neutral on purpose: the page may be seen over the parent's shoulder. */
export const EPDS_UI_TEXT: Readonly<Record<EpdsLanguage, EpdsUiText>> = {
  fr: {
    languageName: 'Français',
    pageTitle: 'Comment allez-vous ?',
    skipToQuestions: 'Aller aux questions',
    changeLanguage: 'Changer de langue',
    questionLabel: 'Question {number} sur {total}',
    submit: 'Envoyer mes réponses',
    answerRequired: 'Veuillez répondre à cette question.',
    errorSummaryTitle: 'Certaines questions n’ont pas de réponse',
    sourceLabel: 'Source',
    optOut: 'Ne plus recevoir de messages',
    linkExpired:
      'Il n’est plus possible de répondre avec ce lien. Si vous souhaitez parler de ce que vous vivez, vous pouvez contacter l’équipe qui vous accompagne.',
    alreadyAnswered: 'Vous avez déjà répondu. Merci !',
    resourcesTitle: 'Pour parler à quelqu’un',
    call: 'Appeler',
    website: 'Site internet',
    colon: '\u00a0: ',
    licence: 'Échelle © 1987 The Royal College of Psychiatrists.',
    answersNote:
      'Une seule réponse par question. Vos réponses sont transmises à l’équipe qui vous accompagne.',
    errorTitlePrefix: 'Erreur : ',
    formInvalid: 'Certaines réponses n’ont pas pu être lues. Vérifiez-les et envoyez-les à nouveau.',
    scoreLabel: 'Votre score : {score} sur {max}',
    linkExpiredTitle: 'Ce lien n’est plus valable',
    unknownLinkTitle: 'Lien non reconnu',
    unknownLink:
      'Ce lien n’est pas reconnu. Vérifiez qu’il est complet, ou contactez l’équipe qui vous a envoyé le message.',
    emergencyTitle: 'En cas d’urgence',
    tooManyAttemptsTitle: 'Veuillez patienter',
    tooManyAttempts:
      'Trop de liens non reconnus ont été ouverts depuis cette connexion. Réessayez dans quelques minutes.',
    alreadyAnsweredBody:
      'Vos réponses ont bien été reçues par l’équipe qui vous accompagne. Si vous souhaitez parler de ce que vous vivez, les contacts ci-dessous sont là pour vous.',
    optOutExplanation:
      'Vous ne recevrez plus de messages de l’équipe qui vous accompagne. Vous pourrez toujours la contacter si vous le souhaitez.',
    optOutConfirm: 'Confirmer : ne plus recevoir de messages',
    backToQuestions: 'Revenir aux questions',
    optOutDoneTitle: 'Votre demande est enregistrée',
    optOutDone:
      'Vous ne recevrez plus de messages. Si vous changez d’avis, parlez-en à l’équipe qui vous accompagne.',
    unexpectedErrorTitle: 'Un problème est survenu',
    unexpectedError: 'Votre demande n’a pas pu aboutir. Veuillez réessayer dans quelques minutes.',
    wordingLabel: 'Formulation des questions',
    wordingFeminine: 'Au féminin',
    wordingMasculine: 'Au masculin',
    wordingInclusive: 'Neutre',
    privacyTitle: 'Vos données personnelles',
    accessibilityTitle: 'Accessibilité',
    back: 'Retour',
  },
  en: {
    languageName: 'English',
    pageTitle: 'How are you?',
    skipToQuestions: 'Skip to the questions',
    changeLanguage: 'Change language',
    questionLabel: 'Question {number} of {total}',
    submit: 'Send my answers',
    answerRequired: 'Please answer this question.',
    errorSummaryTitle: 'Some questions have not been answered',
    sourceLabel: 'Source',
    optOut: 'Stop receiving messages',
    linkExpired:
      'It is no longer possible to answer with this link. If you would like to talk about how you are feeling, you can contact the team supporting you.',
    alreadyAnswered: 'You have already answered. Thank you!',
    resourcesTitle: 'Someone to talk to',
    call: 'Call',
    website: 'Website',
    colon: ': ',
    licence: 'Scale © 1987 The Royal College of Psychiatrists.',
    answersNote: 'One answer per question. Your answers are sent to the team supporting you.',
    errorTitlePrefix: 'Error: ',
    formInvalid: 'Some answers could not be read. Please check them and send them again.',
    scoreLabel: 'Your score: {score} out of {max}',
    linkExpiredTitle: 'This link is no longer valid',
    unknownLinkTitle: 'Link not recognised',
    unknownLink:
      'This link is not recognised. Check that it is complete, or contact the team that sent you the message.',
    emergencyTitle: 'In an emergency',
    tooManyAttemptsTitle: 'Please wait',
    tooManyAttempts:
      'Too many unrecognised links were opened from this connection. Please try again in a few minutes.',
    alreadyAnsweredBody:
      'Your answers have been received by the team supporting you. If you would like to talk about how you are feeling, the contacts below are there for you.',
    optOutExplanation:
      'You will no longer receive messages from the team supporting you. You can still contact them whenever you wish.',
    optOutConfirm: 'Confirm: stop receiving messages',
    backToQuestions: 'Back to the questions',
    optOutDoneTitle: 'Your request has been recorded',
    optOutDone:
      'You will not receive any more messages. If you change your mind, talk to the team supporting you.',
    unexpectedErrorTitle: 'Something went wrong',
    unexpectedError: 'Your request could not be completed. Please try again in a few minutes.',
    wordingLabel: 'Wording of the questions',
    wordingFeminine: 'Feminine',
    wordingMasculine: 'Masculine',
    wordingInclusive: 'Neutral',
    privacyTitle: 'Your personal data',
    accessibilityTitle: 'Accessibility',
    back: 'Back',
  },
};

export function getEpdsUiText(language: EpdsLanguage): EpdsUiText {
  return EPDS_UI_TEXT[language];
}

/** Replaces "{name}" placeholders of a page string; unknown placeholders stay as they are. */
export function formatUiText(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}
