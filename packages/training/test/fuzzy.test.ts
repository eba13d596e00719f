import { describe, expect, it } from 'vitest';
import {
  evaluateMembership,
  gaussianMembership,
  membershipParameterProblem,
  trapezoidalMembership,
  triangularMembership,
} from '../src/fuzzy/index';

const at = (xs: number[]) => Float64Array.from(xs);

describe('triangular membership [a, b, c]', () => {
  it('is 0 at a and c, 1 at b, linear between, 0 outside', () => {
    const out = triangularMembership(at([-5, 0, 10, 20, 27.5, 35, 40]), [0, 20, 35]);
    expect(Array.from(out)).toEqual([0, 0, 0.5, 1, 0.5, 0, 0]);
  });

  it('with a = b starts at full membership and is still 0 left of a (Python semantics)', () => {
    expect(Array.from(triangularMembership(at([-1, 0, 15, 30]), [0, 0, 30]))).toEqual([0, 1, 0.5, 0]);
  });

  it('with b = c ends at full membership', () => {
    expect(Array.from(triangularMembership(at([70, 85, 100, 101]), [70, 100, 100]))).toEqual([0, 0.5, 1, 0]);
  });

  it('maps NaN to NaN', () => {
    expect(triangularMembership(at([NaN]), [0, 1, 2])[0]).toBeNaN();
  });
});

describe('trapezoidal membership [a, b, c, d]', () => {
  it('rises on [a, b], is 1 on [b, c], falls on [c, d], 0 outside', () => {
    const out = trapezoidalMembership(at([-1, 0, 5, 10, 15, 20, 25, 30, 31]), [0, 10, 20, 30]);
    expect(Array.from(out)).toEqual([0, 0, 0.5, 1, 1, 1, 0.5, 0, 0]);
  });

  it('supports open shoulders (a = b) at the range edge', () => {
    expect(Array.from(trapezoidalMembership(at([0, 25, 32.5, 40]), [0, 0, 25, 40]))).toEqual([1, 1, 0.5, 0]);
  });

  it('maps NaN to NaN', () => {
    expect(trapezoidalMembership(at([NaN]), [0, 1, 2, 3])[0]).toBeNaN();
  });
});

describe('gaussian membership [mu, sigma]', () => {
  it('is 1 at mu and exp(-1/2) one sigma away on both sides', () => {
    const out = gaussianMembership(at([50, 60, 40, 70]), [50, 10]);
    expect(out[0]).toBe(1);
    expect(out[1]).toBeCloseTo(Math.exp(-0.5), 15);
    expect(out[2]).toBeCloseTo(Math.exp(-0.5), 15);
    expect(out[3]).toBeCloseTo(Math.exp(-2), 15);
  });

  it('maps NaN to NaN', () => {
    expect(gaussianMembership(at([NaN]), [0, 1])[0]).toBeNaN();
  });
});

describe('evaluateMembership and parameter checks', () => {
  it('dispatches on the set type', () => {
    expect(evaluateMembership({ type: 'triangular', parameters: [0, 1, 2] }, at([1]))[0]).toBe(1);
    expect(evaluateMembership({ type: 'trapezoidal', parameters: [0, 1, 2, 3] }, at([2.5]))[0]).toBe(0.5);
    expect(evaluateMembership({ type: 'gaussian', parameters: [0, 1] }, at([0]))[0]).toBe(1);
  });

  it('rejects unusable parameters instead of computing garbage', () => {
    expect(() => evaluateMembership({ type: 'triangular', parameters: [0, 1] }, at([0]))).toThrow(
      /3 parameters/,
    );
  });

  it('explains each kind of bad parameter list', () => {
    expect(membershipParameterProblem('triangular', [0, 1])).toBe(
      'triangular takes 3 parameters [a, b, c] (got 2)',
    );
    expect(membershipParameterProblem('trapezoidal', [0, 1, 2])).toMatch(/takes 4 parameters/);
    expect(membershipParameterProblem('triangular', [0, 30, 20])).toMatch(
      /non-decreasing \(a <= b <= c\), got \[0, 30, 20\]/,
    );
    expect(membershipParameterProblem('trapezoidal', [0, 10, 5, 20])).toMatch(/non-decreasing/);
    expect(membershipParameterProblem('triangular', [5, 5, 5])).toMatch(/span nothing/);
    expect(membershipParameterProblem('gaussian', [0, 0])).toMatch(/sigma must be greater than 0/);
    expect(membershipParameterProblem('gaussian', [0, Number.NaN])).toMatch(/finite/);
    expect(membershipParameterProblem('triangular', [0, 0, 30])).toBeUndefined();
  });
});
