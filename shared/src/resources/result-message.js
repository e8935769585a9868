/**
 * What the parent reads after answering: kind, never alarming, never the score or a diagnosis. Item 10
 * positive overrides the band: a professional calls soon (urgent alert), 3114 or 15 right now if in danger.
 */
const RESULT_MESSAGES = {
    fr: {
        low: {
            title: 'Merci pour vos réponses',
            body: "Vos réponses ont bien été transmises à l'équipe qui vous accompagne. Les semaines autour d'une naissance sont pleines d'émotions, et il est normal qu'elles soient parfois difficiles. Si vous avez envie d'en parler, vous pouvez à tout moment contacter votre équipe ou l'un des contacts ci-dessous.",
        },
        moderate: {
            title: 'Merci pour vos réponses',
            body: "Vos réponses montrent que cette période n'est peut-être pas toujours facile pour vous. C'est fréquent autour d'une naissance, et vous n'avez pas à le vivre seul(e). L'équipe qui vous accompagne a reçu vos réponses et prendra contact avec vous pour en parler. En attendant, les contacts ci-dessous sont là pour vous écouter.",
        },
        high: {
            title: 'Merci de nous avoir confié ce que vous vivez',
            body: "Vos réponses montrent que vous traversez peut-être un moment difficile. Ce n'est pas de votre faute, et de l'aide existe. Un professionnel de l'équipe qui vous accompagne va prendre contact avec vous prochainement. En attendant, n'hésitez pas à appeler l'un des contacts ci-dessous.",
        },
        item10Positive: {
            title: 'Merci de votre confiance',
            body: "Vos réponses nous disent que vous traversez un moment difficile, et nous voulons vous aider. Un professionnel de l'équipe qui vous accompagne va vous appeler très bientôt. Si vous vous sentez en danger maintenant, appelez tout de suite le 3114 (gratuit, 24 h/24) ou le 15.",
        },
    },
    en: {
        low: {
            title: 'Thank you for your answers',
            body: 'Your answers have been sent to the team supporting you. The weeks around a birth are full of emotions, and it is normal for them to be hard at times. If you would like to talk about it, you can contact your team or one of the contacts below at any time.',
        },
        moderate: {
            title: 'Thank you for your answers',
            body: 'Your answers suggest that things may not always be easy for you at the moment. This is common around a birth, and you do not have to go through it alone. The team supporting you has received your answers and will get in touch to talk about it. In the meantime, the contacts below are there to listen.',
        },
        high: {
            title: 'Thank you for telling us how you feel',
            body: 'Your answers suggest that you may be going through a difficult time. It is not your fault, and help is available. A professional from the team supporting you will contact you soon. In the meantime, please feel free to call one of the contacts below.',
        },
        item10Positive: {
            title: 'Thank you for trusting us',
            body: 'Your answers tell us that you are going through a difficult time, and we want to help. A professional from the team supporting you will call you very soon. If you feel in danger now, call 3114 (free, 24/7) or 15 straight away.',
        },
    },
};
export function resultMessage(language, band, item10Positive) {
    const message = RESULT_MESSAGES[language][item10Positive ? 'item10Positive' : band];
    return { ...message };
}
