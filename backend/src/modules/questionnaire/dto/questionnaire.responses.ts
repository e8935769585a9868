import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type {
  HelpResource,
  QuestionnaireFlags,
  ResultMessage,
  SubmitQuestionnaireResponse,
} from '@lien/shared';

@ApiSchema({ name: 'ResultMessage' })
export class ResultMessageResponse implements ResultMessage {
  @ApiProperty({ type: String })
  title!: ResultMessage['title'];

  @ApiProperty({ type: String })
  body!: ResultMessage['body'];
}

@ApiSchema({ name: 'HelpResource' })
export class HelpResourceResponse implements HelpResource {
  @ApiProperty({ enum: ['organisation', 'emergency', 'national', 'local'] })
  kind!: HelpResource['kind'];

  @ApiProperty({ type: String })
  name!: HelpResource['name'];

  @ApiPropertyOptional({
    type: String,
    description: 'As dialled in France, spaces allowed ("0 805 382 300"); see telUri.',
  })
  phone?: HelpResource['phone'];

  @ApiPropertyOptional({ type: String })
  url?: HelpResource['url'];

  @ApiProperty({ type: String })
  description!: HelpResource['description'];
}

@ApiSchema({ name: 'QuestionnaireFlags' })
export class QuestionnaireFlagsResponse implements QuestionnaireFlags {
  @ApiProperty({
    type: Boolean,
    description: 'Item 10 answered anything but "Never": a professional calls soon.',
  })
  item10Positive!: QuestionnaireFlags['item10Positive'];

  @ApiProperty({
    type: Boolean,
    description: "EPDS-3A (items 3, 4, 5) at or above the organisation's anxiety threshold.",
  })
  anxiety!: QuestionnaireFlags['anxiety'];
}

/** 201 answer of the JSON submission. The score is returned to the API caller; the HTML page shows it only when the organisation allows it. */
@ApiSchema({ name: 'SubmitQuestionnaireResponse' })
export class SubmitQuestionnaireResponseDto implements SubmitQuestionnaireResponse {
  @ApiProperty({ type: Number, description: "0..30, computed on the server from the instrument's points." })
  score!: SubmitQuestionnaireResponse['score'];

  @ApiProperty({
    enum: ['high', 'moderate', 'low'],
    description: "By the organisation's thresholds for the parent's role.",
  })
  band!: SubmitQuestionnaireResponse['band'];

  @ApiProperty({ type: () => QuestionnaireFlagsResponse })
  flags!: SubmitQuestionnaireResponse['flags'];

  @ApiProperty({
    type: () => HelpResourceResponse,
    isArray: true,
    description: 'Help to show, in display order (emergency numbers first when item 10 is positive).',
  })
  resources!: SubmitQuestionnaireResponse['resources'];

  @ApiProperty({
    type: () => ResultMessageResponse,
    description: 'The kind message the parent reads (never the score).',
  })
  message!: SubmitQuestionnaireResponse['message'];

  @ApiProperty({ enum: ['fr', 'en'] })
  language!: SubmitQuestionnaireResponse['language'];

  @ApiProperty({ type: String })
  instrumentVersion!: SubmitQuestionnaireResponse['instrumentVersion'];
}
