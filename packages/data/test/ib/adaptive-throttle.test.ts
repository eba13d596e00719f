import { describe, expect, it } from 'vitest';
import { AdaptiveThrottle } from '../../src/ib/adaptive-throttle';

describe('AdaptiveThrottle (AIMD)', () => {
  it('grows by one per answer until the first sign of overload (slow start)', () => {
    const throttle = new AdaptiveThrottle({ initialWindow: 2 });
    expect(throttle.limit).toBe(2);
    for (let i = 0; i < 6; i++) throttle.onAnswer(500);
    expect(throttle.limit).toBe(8);
  });

  it('shrinks when answers get much slower than the fastest recent one, then grows by one per window', () => {
    const throttle = new AdaptiveThrottle({ initialWindow: 10 });
    throttle.onAnswer(500);
    expect(throttle.limit).toBe(11);
    throttle.onAnswer(2_000); // 4x the fastest: IB is slowing this client down
    expect(throttle.limit).toBe(7); // 11 x 0.7
    expect(throttle.backoffs).toBe(1);
    // Past the slow answers, growth is additive: about one per window of answers (slow start
    // would have doubled it).
    for (let i = 0; i < 16; i++) throttle.onAnswer(500);
    expect(throttle.limit).toBe(9);
  });

  it('counts a burst of slow answers as one backoff', () => {
    const throttle = new AdaptiveThrottle({ initialWindow: 10 });
    throttle.onAnswer(500);
    for (let i = 0; i < 5; i++) throttle.onAnswer(3_000);
    expect(throttle.backoffs).toBe(1);
    expect(throttle.limit).toBe(7);
  });

  it('halves on a pacing error and shrinks on a timeout, never below one', () => {
    const throttle = new AdaptiveThrottle({ initialWindow: 8 });
    throttle.onPacingError();
    expect(throttle.limit).toBe(4);
    const lone = new AdaptiveThrottle({ initialWindow: 1 });
    lone.onTimeout();
    lone.onPacingError();
    expect(lone.limit).toBe(1);
  });

  it("never allows more than IB's 50 open requests, nor its own maximum", () => {
    const wide = new AdaptiveThrottle({ initialWindow: 45, maxWindow: 500 });
    for (let i = 0; i < 100; i++) wide.onAnswer(100);
    expect(wide.limit).toBe(50);
    const narrow = new AdaptiveThrottle({ initialWindow: 2, maxWindow: 6 });
    for (let i = 0; i < 100; i++) narrow.onAnswer(100);
    expect(narrow.limit).toBe(6);
  });
});
