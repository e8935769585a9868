import { Injectable, signal } from '@angular/core';
import type { TranslationKey } from '../i18n/fr';

export interface Notice {
  key: TranslationKey;
  kind: 'info' | 'warning' | 'error';
}

/**
 * One message shown in a banner above the page until dismissed or until the user moves on (not a toast:
 * WCAG 2.2.1 wants no message that vanishes on a timer). Used for "access refused", "signed out after
 * inactivity", … A notice raised before or during a navigation survives that navigation and goes at the next.
 */
@Injectable({ providedIn: 'root' })
export class NoticeService {
  private readonly current = signal<Notice | null>(null);
  private age = 0;
  readonly notice = this.current.asReadonly();

  show(key: TranslationKey, kind: Notice['kind'] = 'info'): void {
    this.age = 0;
    this.current.set({ key, kind });
  }

  clear(): void {
    this.current.set(null);
  }

  /** Called at the end of every navigation. */
  navigated(): void {
    if (!this.current()) return;
    this.age += 1;
    if (this.age > 1) this.clear();
  }
}
