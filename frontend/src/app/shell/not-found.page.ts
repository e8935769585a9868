import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '../i18n/translate.pipe';

@Component({
  selector: 'lien-not-found-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, TranslatePipe],
  template: `
    <h1>{{ 'notFound.title' | t }}</h1>
    <p>{{ 'notFound.body' | t }}</p>
    <a routerLink="/">{{ 'notFound.home' | t }}</a>
  `,
})
export class NotFoundPage {}
