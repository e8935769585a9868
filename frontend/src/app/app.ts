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
  template: `
    <a class="skip-link" href="#main" (click)="skipToMain($event)" data-testid="skip-link">{{
      'app.skipToContent' | t
    }}</a>
    <header class="app-header">
      @if (signedIn() && narrow()) {
        <button
          type="button"
          class="header-button icon-only"
          (click)="navOpen.set(!navOpen())"
          [attr.aria-label]="'nav.toggle' | t"
          [attr.aria-expanded]="navOpen()"
          aria-controls="app-nav"
          data-testid="nav-toggle"
        >
          <lien-icon name="menu" />
        </button>
      }
      <a class="brand" routerLink="/" data-testid="brand">
        <span class="brand-name">{{ 'app.name' | t }}</span>
        @if (organisationName(); as name) {
          <span class="brand-org">{{ name }}</span>
        }
      </a>
      <span class="spacer"></span>
      <button
        type="button"
        class="header-button"
        (click)="switchLanguage()"
        [attr.lang]="otherLanguage()"
        [attr.aria-label]="'app.switchLanguageLabel' | t"
        data-testid="language-switch"
      >
        <lien-icon name="language" />
        <span>{{ otherLanguageName() }}</span>
      </button>
      @if (me(); as user) {
        <span class="user-name" data-testid="user-name">{{ user.displayName || user.email }}</span>
        <button type="button" class="header-button" (click)="signOut()" data-testid="sign-out">
          <lien-icon name="logout" />
          <span>{{ 'app.signOut' | t }}</span>
        </button>
      }
    </header>

    <div class="app-body" [class.with-nav]="signedIn()">
      @if (signedIn()) {
        <nav
          id="app-nav"
          class="app-nav"
          [class.open]="navOpen()"
          [hidden]="narrow() && !navOpen()"
          [attr.aria-label]="'nav.label' | t"
        >
          <ul>
            @for (item of navItems(); track item.path) {
              <li>
                <a
                  [routerLink]="item.path"
                  routerLinkActive="active"
                  ariaCurrentWhenActive="page"
                  [attr.data-testid]="item.testId"
                  (click)="closeNav()"
                >
                  <lien-icon [name]="item.icon" />
                  <span>{{ item.label | t }}</span>
                </a>
              </li>
            }
          </ul>
        </nav>
      }
      <div class="app-content">
        @if (notice(); as current) {
          <div [class]="'notice notice-' + current.kind" role="status" data-testid="notice">
            <lien-icon [name]="current.kind === 'info' ? 'info' : 'warning'" />
            <span class="notice-text">{{ current.key | t }}</span>
            <button
              type="button"
              class="notice-close"
              (click)="dismissNotice()"
              [attr.aria-label]="'app.dismiss' | t"
              data-testid="notice-dismiss"
            >
              <lien-icon name="close" />
            </button>
          </div>
        }
        <main id="main" #main tabindex="-1" class="app-main">
          <router-outlet />
        </main>
      </div>
    </div>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      min-height: 100vh;
    }
    .app-header {
      display: flex;
      align-items: center;
      gap: 8px;
      min-height: 64px;
      padding: 0 16px;
      background: var(--mat-sys-primary);
      color: var(--mat-sys-on-primary);
    }
    .header-button {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      min-height: 40px;
      padding: 0 12px;
      border: 0;
      border-radius: 20px;
      background: transparent;
      color: inherit;
      font: var(--mat-sys-label-large);
      cursor: pointer;
    }
    .header-button:hover {
      background: color-mix(in srgb, currentColor 12%, transparent);
    }
    .header-button.icon-only {
      padding: 0 8px;
    }
    .header-button:focus-visible,
    .brand:focus-visible {
      outline: 3px solid var(--mat-sys-on-primary);
      outline-offset: 2px;
    }
    .brand {
      color: inherit;
      text-decoration: none;
      display: flex;
      align-items: baseline;
      gap: 12px;
    }
    .brand-name {
      font-weight: 700;
      font-size: 1.375rem;
    }
    .brand-org {
      font: var(--mat-sys-body-medium);
    }
    .spacer {
      flex: 1;
    }
    .user-name {
      font: var(--mat-sys-body-medium);
    }
    .app-body {
      flex: 1;
      display: flex;
    }
    .app-nav {
      width: 232px;
      flex: none;
      border-right: 1px solid var(--mat-sys-outline-variant);
      background: var(--mat-sys-surface-container-low);
    }
    .app-nav ul {
      list-style: none;
      margin: 0;
      padding: 8px;
    }
    .app-nav a {
      display: flex;
      align-items: center;
      gap: 12px;
      min-height: 48px;
      padding: 0 16px;
      border-radius: 24px;
      color: var(--mat-sys-on-surface-variant);
      text-decoration: none;
      font: var(--mat-sys-label-large);
    }
    .app-nav a:hover {
      background: var(--mat-sys-surface-container-high);
    }
    .app-nav a.active {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
      font-weight: 700;
    }
    .app-content {
      flex: 1;
      min-width: 0;
    }
    .app-main {
      padding: 16px 24px 48px;
      max-width: 1280px;
      outline: none;
    }
    .notice {
      display: flex;
      align-items: center;
      gap: 12px;
      margin: 12px 24px 0;
      padding: 4px 8px 4px 16px;
      border-radius: 8px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .notice-warning,
    .notice-error {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .notice-text {
      flex: 1;
      padding: 8px 0;
    }
    .notice-close {
      display: inline-flex;
      padding: 8px;
      border: 0;
      border-radius: 50%;
      background: transparent;
      color: inherit;
      cursor: pointer;
    }
    @media (max-width: 959px) {
      .app-body {
        position: relative;
      }
      .app-nav {
        position: absolute;
        z-index: 10;
        top: 0;
        bottom: 0;
        left: 0;
        box-shadow: 2px 0 8px rgb(0 0 0 / 20%);
      }
    }
    @media (max-width: 599px) {
      .user-name,
      .brand-org {
        display: none;
      }
      .header-button span {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
      .app-main {
        padding: 12px 12px 32px;
      }
    }
  `,
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
  protected readonly navItems = computed(() => {
    const permissions = this.auth.permissions();
    return NAV.filter((item) => item.allowed((permission) => permissions.has(permission)));
  });
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
