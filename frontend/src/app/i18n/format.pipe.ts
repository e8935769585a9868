import { Pipe, type PipeTransform, inject } from '@angular/core';
import { FormatService, type FormatKind } from './format.service';

/** `{{ alert.createdAt | fmt }}`, `{{ parent.birthDate | fmt: 'day' }}`. Impure: depends on the language and time-zone signals. */
@Pipe({ name: 'fmt', pure: false })
export class FormatPipe implements PipeTransform {
  private readonly formatter = inject(FormatService);

  transform(value: string | number | Date | null | undefined, kind: FormatKind = 'dateTime'): string {
    return this.formatter.format(value, kind);
  }
}
