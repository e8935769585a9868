import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  EPDS_ITEM_COUNT,
  EPDS_OPTION_COUNT,
  SUPPORTED_EPDS_LANGUAGES,
  type EpdsLanguage,
  type SubmitQuestionnaireRequest,
} from '@lien/shared';

/**
 * OpenAPI description of `SubmitQuestionnaireRequest`. The body is checked by `parseJsonSubmission` (it names
 * `answers[3]`, which class-validator cannot), so this class carries no validation decorators.
 */
export class SubmitQuestionnaireDto implements SubmitQuestionnaireRequest {
  @ApiProperty({
    description: `Exactly ${EPDS_ITEM_COUNT} option indexes (0..${EPDS_OPTION_COUNT - 1}) in the canonical order of the instrument, item 1 first.`,
    type: [Number],
    minItems: EPDS_ITEM_COUNT,
    maxItems: EPDS_ITEM_COUNT,
    example: [0, 1, 3, 0, 2, 3, 2, 1, 3, 3],
  })
  answers!: number[];

  @ApiPropertyOptional({
    enum: SUPPORTED_EPDS_LANGUAGES,
    description: "Language the questions were shown in (default: the parent's).",
  })
  language?: EpdsLanguage;
}
