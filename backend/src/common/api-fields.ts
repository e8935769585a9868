import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { IsOptionalNotNull, stackDecorators, Trim } from './validation.js';

/**
 * A request field's OpenAPI description, and whether it may be left out: `optional: true` lets it be absent or
 * null (class-validator's `@IsOptional()`), `optional: 'not-null'` lets it be absent but refuses null (a
 * patch of a NOT NULL column). Without `optional` the field is required.
 */
export type FieldOptions = ApiPropertyOptions & { required?: never; optional?: true | 'not-null' };

/**
 * One way to declare a documented, validated request field: `@Field({ example }, Matches(…))` stands for
 * `@ApiProperty({ example })` (or `@ApiPropertyOptional` and its `@IsOptional…`) over the validators, in the
 * written order, so the 400 answers name the same problems in the same order.
 */
export function Field(options: FieldOptions, ...validators: PropertyDecorator[]): PropertyDecorator {
  const { optional, ...doc } = options;
  if (!optional) return stackDecorators(ApiProperty(doc), ...validators);
  const presence = optional === 'not-null' ? IsOptionalNotNull() : IsOptional();
  return stackDecorators(ApiPropertyOptional(doc), presence, ...validators);
}

/** One value of a vocabulary (`enum` in the document); `validation` for a message of the field's own. */
export function EnumField(
  values: readonly string[],
  options: FieldOptions = {},
  validation?: ValidationOptions,
): PropertyDecorator {
  return Field({ enum: values, ...options }, IsIn(values, validation));
}

/** A non-empty list of distinct values of a vocabulary, e.g. an API key's scopes. */
export function EnumListField(values: readonly string[], options: FieldOptions = {}): PropertyDecorator {
  return Field(
    { enum: values, isArray: true, ...options },
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(values.length),
    ArrayUnique(),
    IsIn(values, { each: true, message: `$property must each be one of ${values.join(', ')}` }),
  );
}

/** A UUID (any version), e.g. the id of a user or an organisation. */
export function UuidField(options: FieldOptions = {}): PropertyDecorator {
  return Field(options, IsUUID('all'));
}

/** A text field's description: its length limits are `TextField`'s `max` and `min`, never `maxLength`. */
export type TextFieldOptions = FieldOptions & { minLength?: never; maxLength?: never };

/**
 * A text of at most `max` characters (and at least `min` when given), trimmed first when `trim` is set, then
 * any further `validators` (a pattern). The document shows the validators' own numbers (`minLength`/`maxLength`),
 * which are never written by hand.
 */
export function TextField(
  options: TextFieldOptions & { max: number; min?: number; trim?: true },
  ...validators: PropertyDecorator[]
): PropertyDecorator {
  const { max, min, trim, ...field } = options;
  const limits = { ...(min === undefined ? {} : { minLength: min }), maxLength: max };
  return Field(
    { ...field, ...limits },
    IsString(),
    ...(trim ? [Trim()] : []),
    min === undefined ? MaxLength(max) : Length(min, max),
    ...validators,
  );
}

/** An object of its own class, validated field by field (`type` in the document); required unless `optional`. */
export function NestedField(type: new () => object, options: FieldOptions = {}): PropertyDecorator {
  return Field(
    { type, ...options },
    ...(options.optional ? [] : [IsDefined()]),
    ValidateNested(),
    Type(() => type),
  );
}
