import { IsString, Matches } from 'class-validator';
import type { CreateScreeningSourceRequest } from '@lien/shared';
import { Field, TextField } from '../../../common/api-fields.js';

const TEXT = /^[^\p{Cc}]+$/u;

export class CreateScreeningSourceDto implements CreateScreeningSourceRequest {
  @TextField(
    { example: 'Leaflet of the Lens maternity', trim: true, min: 2, max: 120 },
    Matches(TEXT, { message: 'name must not contain control characters' }),
  )
  name!: string;

  @TextField(
    { optional: true, example: 'Maternité de Lens', trim: true, min: 1, max: 120 },
    Matches(TEXT, { message: 'partner must not contain control characters' }),
  )
  partner?: string;

  @Field(
    {
      optional: true,
      example: 'maternite-lens',
      description: 'a-z, 0-9 and dashes, 3 to 40; generated when absent',
    },
    IsString(),
    Matches(/^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/, {
      message:
        'code must be 3 to 40 lower-case letters, digits or dashes, not starting or ending with a dash',
    }),
  )
  code?: string;
}
