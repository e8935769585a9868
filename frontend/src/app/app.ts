import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  DestroyRef,
  ElementRef,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter } from 'rxjs';
import type { Permission } from '@lien/shared';
import { ADMIN_PERMISSIONS } from './admin/admin.guard';
import { AuthService } from './core/auth/auth.service';
import { NoticeService } from './core/notice.service';
import type { TranslationKey } from './i18n/fr';
import { TranslatePipe } from './i18n/translate.pipe';
import { TranslationService } from './i18n/translation.service';
import { LienIcon, type IconName } from './ui/icon';

interface NavItem {
  path: string;
  label: TranslationKey;
  icon: IconName;
  testId: string;
  allowed: (can: (permission: Permission) => boolean) => boolean;
}

const NAV: readonly NavItem[] = [
  {
    path: '/alerts',
    label: 'nav.alerts',
    icon: 'notifications',
    testId: 'nav-alerts',
    allowed: (can) => can('alerts.read'),
  },
  {
    path: '/parents',
    label: 'nav.parents',
    icon: 'group',
    testId: 'nav-parents',
    allowed: (can) => can('parents.read'),
  },
  {
    path: '/reports',
    label: 'nav.reports',
    icon: 'chart',
    testId: 'nav-reports',
    allowed: (can) => can('reports.read'),
  },
  {
    path: '/admin',
    label: 'nav.admin',
    icon: 'tune',
    testId: 'nav-admin',
    allowed: (can) => ADMIN_PERMISSIONS.some((permission) => can(permission)),
  },
  {
    path: '/outbox',
    label: 'nav.outbox',
    icon: 'inbox',
    testId: 'nav-outbox',
    allowed: (can) => can('outbox.read'),
  },
];

const NARROW = '(max-width: 959px)';

/**
 * The shell: skip link, header (banner), navigation, notices, main region. Plain HTML and CSS on purpose:
 * Material components live in the lazy feature chunks, so the first load stays small.
 */
@Component({
  selector: 'lien-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, TranslatePipe, LienIcon],
  host: { '(document:keydown.escape)': 'closeNav()' },
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(TranslationService);
  private readonly notices = inject(NoticeService);
  private readonly document = inject(DOCUMENT);
  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');

  protected readonly me = this.auth.me;
  protected readonly signedIn = computed(() => this.auth.me() !== null);
  protected readonly notice = this.notices.notice;
  protected readonly organisationName = computed(() => this.auth.me()?.organisation?.name ?? null);
  protected readonly narrow = signal(false);
  protected readonly navOpen = signal(false);
  protected readonly navItems = computed(() =>
    NAV.filter((item) => item.allowed((permission) => this.auth.can(permission))),
  );
  protected readonly otherLanguage = computed(() => (this.i18n.language() === 'fr' ? 'en' : 'fr'));
  protected readonly otherLanguageName = computed(() =>
    this.otherLanguage() === 'en' ? 'English' : 'Français',
  );

  constructor() {
    const media = this.document.defaultView?.matchMedia?.(NARROW);
    if (media) {
      this.narrow.set(media.matches);
      const onChange = (event: MediaQueryListEvent): void => {
        this.narrow.set(event.matches);
        if (!event.matches) this.navOpen.set(false);
      };
      media.addEventListener('change', onChange);
      inject(DestroyRef).onDestroy(() => media.removeEventListener('change', onChange));
    }
    // After each in-app navigation, move focus to the main region so keyboard and screen-reader users
    // start reading the new page (the first load keeps the browser's default).
    let first = true;
    inject(Router)
      .events.pipe(
        filter((event) => event instanceof NavigationEnd),
        takeUntilDestroyed(),
      )
      .subscribe(() => {
        this.notices.navigated();
        if (first) {
          first = false;
          return;
        }
        queueMicrotask(() => this.main().nativeElement.focus({ preventScroll: true }));
      });
  }

  protected skipToMain(event: Event): void {
    event.preventDefault();
    this.main().nativeElement.focus();
    this.document.defaultView?.scrollTo({ top: 0 });
  }

  protected closeNav(): void {
    this.navOpen.set(false);
  }

  protected switchLanguage(): void {
    void this.i18n.use(this.otherLanguage());
  }

  protected dismissNotice(): void {
    this.notices.clear();
  }

  protected signOut(): void {
    void this.auth.signOut('user');
  }
}
