import { EPDS_ANXIETY_ITEMS, EPDS_ITEM_COUNT, EPDS_OPTION_COUNT, EPDS_SELF_HARM_ITEM, } from './types.js';
/** Band for a total: high at or above thresholds.high, moderate at or above thresholds.moderate. */
export function epdsBand(total, thresholds) {
    if (total >= thresholds.high)
        return 'high';
    if (total >= thresholds.moderate)
        return 'moderate';
    return 'low';
}
/**
 * Scores answers given as option indexes (0..3, canonical order). Thresholds are the organisation's for the
 * parent's role. Throws a RangeError on answers that validateEpdsAnswers would reject: callers validate
 * first, so reaching this with bad input is a bug, not a user error.
 */
export function scoreEpds(answers, instrument, thresholds, anxietyThreshold) {
    if (answers.length !== instrument.items.length) {
        throw new RangeError(`expected ${instrument.items.length} answers, got ${answers.length}`);
    }
    const itemPoints = instrument.items.map((item, index) => {
        const answer = answers[index];
        const option = answer === undefined || !Number.isInteger(answer) ? undefined : item.options[answer];
        if (!option)
            throw new RangeError(`answers[${index}] is not an option of item ${item.number}`);
        return option.points;
    });
    const pointsOf = (itemNumber) => {
        const index = instrument.items.findIndex((item) => item.number === itemNumber);
        const points = itemPoints[index];
        if (points === undefined)
            throw new RangeError(`the instrument has no item ${itemNumber}`);
        return points;
    };
    const total = itemPoints.reduce((sum, points) => sum + points, 0);
    const anxietyScore = EPDS_ANXIETY_ITEMS.reduce((sum, itemNumber) => sum + pointsOf(itemNumber), 0);
    return {
        total,
        itemPoints,
        band: epdsBand(total, thresholds),
        // Cox: any score above 0 on item 10 needs assessment (not only the top answer).
        item10Positive: pointsOf(EPDS_SELF_HARM_ITEM) > 0,
        anxietyScore,
        anxietyFlag: anxietyScore >= anxietyThreshold,
    };
}
/** Checks the `answers` of a submission: an array of exactly 10 integers from 0 to 3. */
export function validateEpdsAnswers(input) {
    const maxIndex = EPDS_OPTION_COUNT - 1;
    if (!Array.isArray(input)) {
        return {
            ok: false,
            errors: [{ field: 'answers', message: `must be an array of ${EPDS_ITEM_COUNT} answers` }],
        };
    }
    const errors = [];
    if (input.length !== EPDS_ITEM_COUNT) {
        errors.push({
            field: 'answers',
            message: `must contain exactly ${EPDS_ITEM_COUNT} answers (got ${input.length})`,
        });
    }
    const answers = [];
    // Array.from visits holes of sparse arrays too (as undefined).
    Array.from(input).forEach((value, index) => {
        if (typeof value !== 'number' || !Number.isInteger(value)) {
            errors.push({ field: `answers[${index}]`, message: `must be an integer from 0 to ${maxIndex}` });
        }
        else if (value < 0 || value > maxIndex) {
            errors.push({
                field: `answers[${index}]`,
                message: `must be between 0 and ${maxIndex} (got ${value})`,
            });
        }
        else {
            answers.push(value);
        }
    });
    return errors.length > 0 ? { ok: false, errors } : { ok: true, answers };
}
