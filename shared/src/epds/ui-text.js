/** Questionnaire page strings. Neutral on purpose: the page may be seen over the parent's shoulder. */
export const EPDS_UI_TEXT = {
    fr: {
        languageName: 'Français',
        pageTitle: 'Comment allez-vous ?',
        skipToQuestions: 'Aller aux questions',
        changeLanguage: 'Changer de langue',
        questionLabel: 'Question {number} sur {total}',
        submit: 'Envoyer mes réponses',
        answerRequired: 'Veuillez répondre à cette question.',
        errorSummaryTitle: "Certaines questions n'ont pas de réponse",
        sourceLabel: 'Source',
        optOut: 'Ne plus recevoir de messages',
        linkExpired: "Ce lien n'est plus valable. Vous pouvez contacter l'équipe qui vous accompagne.",
        alreadyAnswered: 'Vous avez déjà répondu. Merci !',
        resourcesTitle: "Pour parler à quelqu'un",
        call: 'Appeler',
        website: 'Site internet',
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
        linkExpired: 'This link is no longer valid. You can contact the team supporting you.',
        alreadyAnswered: 'You have already answered. Thank you!',
        resourcesTitle: 'Someone to talk to',
        call: 'Call',
        website: 'Website',
    },
};
export function getEpdsUiText(language) {
    return EPDS_UI_TEXT[language];
}
/** Replaces "{name}" placeholders of a page string; unknown placeholders stay as they are. */
export function formatUiText(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, name) => {
        const value = values[name];
        return value === undefined ? whole : String(value);
    });
}
