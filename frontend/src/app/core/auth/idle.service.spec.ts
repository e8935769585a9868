import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { NoticeService } from '../notice.service';
import { AuthService } from './auth.service';
import { IDLE_TIMEOUT_MS, IDLE_WARNING_MS, IdleService } from './idle.service';

describe('IdleService (shared workstations)', () => {
  const signedIn = signal(true);
  const signOut = jest.fn().mockResolvedValue(undefined);

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-03-10T10:00:00Z') });
    signedIn.set(true);
    signOut.mockClear();
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [{ provide: AuthService, useValue: { signedIn, signOut } }],
    });
  });

  afterEach(() => jest.useRealTimers());

  function start(): NoticeService {
    TestBed.inject(IdleService);
    TestBed.tick(); // runs the effect that starts watching
    return TestBed.inject(NoticeService);
  }

  it('warns a minute before and signs out after 15 minutes without input', () => {
    const notices = start();
    jest.advanceTimersByTime(IDLE_TIMEOUT_MS - IDLE_WARNING_MS - 1);
    expect(notices.notice()).toBeNull();
    jest.advanceTimersByTime(1);
    expect(notices.notice()?.key).toBe('notice.idleWarning');
    expect(signOut).not.toHaveBeenCalled();
    jest.advanceTimersByTime(IDLE_WARNING_MS);
    expect(signOut).toHaveBeenCalledWith('idle');
  });

  it('starts counting again on any input, and clears the warning', () => {
    const notices = start();
    jest.advanceTimersByTime(IDLE_TIMEOUT_MS - 30_000);
    expect(notices.notice()?.key).toBe('notice.idleWarning');
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    expect(notices.notice()).toBeNull();
    jest.advanceTimersByTime(IDLE_TIMEOUT_MS - 60_000);
    expect(signOut).not.toHaveBeenCalled();
    jest.advanceTimersByTime(60_000);
    expect(signOut).toHaveBeenCalledTimes(1);
  });

  it('does nothing while signed out', () => {
    signedIn.set(false);
    start();
    jest.advanceTimersByTime(IDLE_TIMEOUT_MS * 2);
    expect(signOut).not.toHaveBeenCalled();
  });
});
