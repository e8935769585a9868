import { Injectable, effect, inject, signal } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { type RouterStateSnapshot, TitleStrategy } from '@angular/router';
import { FR, type TranslationKey } from '../i18n/fr';
import { TranslationService } from '../i18n/translation.service';

/** Route titles are translation keys; the document title follows the language ("Alertes – Lien"). */
@Injectable()
export class TranslatedTitleStrategy extends TitleStrategy {
  private readonly title = inject(Title);
  private readonly i18n = inject(TranslationService);
  private readonly key = signal<TranslationKey | null>(null);

  constructor() {
    super();
    effect(() => {
      const key = this.key();
      const app = this.i18n.t('app.name');
      this.title.setTitle(key ? `${this.i18n.t(key)} – ${app}` : app);
    });
  }

  override updateTitle(snapshot: RouterStateSnapshot): void {
    const key = this.buildTitle(snapshot);
    this.key.set(key && key in FR ? (key as TranslationKey) : null);
  }
}
