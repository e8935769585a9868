import { Injectable, computed, effect, inject, signal } from '@angular/core';
import type { ParentDetail } from '@lien/shared';
import { AuthService } from '../core/auth/auth.service';

/**
 * Identities a professional chose to reveal (each an audited read of GET /api/parents/:id) stay revealed for the
 * session: the alert page and the dashboard show them again without another click. Kept in memory only (never in
 * storage), for the signed-in user who revealed them: signing out, or another user signing in, forgets them.
 */
@Injectable({ providedIn: 'root' })
export class RevealedIdentities {
  private readonly auth = inject(AuthService);
  private readonly store = signal<{ userId: string | null; parents: ReadonlyMap<string, ParentDetail> }>({
    userId: null,
    parents: new Map(),
  });

  /** The revealed parents of the current session, by id. */
  readonly parents = computed<ReadonlyMap<string, ParentDetail>>(() => {
    const { userId, parents } = this.store();
    const me = this.auth.me()?.id ?? null;
    return me !== null && me === userId ? parents : new Map();
  });

  constructor() {
    // Signing out (or the next sign-in starting) clears the user: the revealed identities go with the session.
    effect(() => {
      if (!this.auth.me()) this.store.set({ userId: null, parents: new Map() });
    });
  }

  get(parentId: string | null | undefined): ParentDetail | null {
    return parentId ? (this.parents().get(parentId) ?? null) : null;
  }

  remember(parent: ParentDetail): void {
    const me = this.auth.me()?.id ?? null;
    if (me === null) return;
    const current = this.parents();
    this.store.set({ userId: me, parents: new Map([...current, [parent.id, parent]]) });
  }
}
