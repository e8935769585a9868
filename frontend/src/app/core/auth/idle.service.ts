import { DOCUMENT, Injectable, effect, inject } from '@angular/core';
import { NoticeService } from '../notice.service';
import { AuthService } from './auth.service';

/** Shared workstations: no input for this long signs the user out. */
export const IDLE_TIMEOUT_MS = 15 * 60_000;
/** A warning is shown this long before. */
export const IDLE_WARNING_MS = 60_000;
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove', 'scroll'] as const;
/** Activity is recorded at most this often (mousemove fires a lot). */
const THROTTLE_MS = 1_000;

@Injectable({ providedIn: 'root' })
export class IdleService {
  private readonly auth = inject(AuthService);
  private readonly notices = inject(NoticeService);
  private readonly document = inject(DOCUMENT);
  private warningTimer: ReturnType<typeof setTimeout> | null = null;
  private signOutTimer: ReturnType<typeof setTimeout> | null = null;
  private lastActivity = 0;
  private warned = false;
  private listening = false;
  private readonly onActivity = (): void => {
    const now = Date.now();
    if (now - this.lastActivity < THROTTLE_MS) return;
    this.lastActivity = now;
    if (this.warned) {
      this.warned = false;
      this.notices.clear();
    }
    this.arm();
  };

  constructor() {
    effect(() => {
      if (this.auth.signedIn()) this.start();
      else this.stop();
    });
  }

  private start(): void {
    if (this.listening) return;
    this.listening = true;
    for (const type of ACTIVITY_EVENTS) {
      this.document.addEventListener(type, this.onActivity, { passive: true, capture: true });
    }
    this.lastActivity = Date.now();
    this.arm();
  }

  private stop(): void {
    if (!this.listening) return;
    this.listening = false;
    for (const type of ACTIVITY_EVENTS) {
      this.document.removeEventListener(type, this.onActivity, { capture: true });
    }
    this.disarm();
  }

  private arm(): void {
    this.disarm();
    this.warningTimer = setTimeout(() => {
      this.warned = true;
      this.notices.show('notice.idleWarning', 'warning');
    }, IDLE_TIMEOUT_MS - IDLE_WARNING_MS);
    this.signOutTimer = setTimeout(() => {
      this.stop();
      void this.auth.signOut('idle');
    }, IDLE_TIMEOUT_MS);
  }

  private disarm(): void {
    if (this.warningTimer !== null) clearTimeout(this.warningTimer);
    if (this.signOutTimer !== null) clearTimeout(this.signOutTimer);
    this.warningTimer = null;
    this.signOutTimer = null;
  }
}
