import { gaussianMembership } from './gaussian';
import { trapezoidalMembership } from './trapezoidal';
import { triangularMembership } from './triangular';
import type { FuzzySetDefinition, MembershipType } from './types';

/** Every membership type, for validation messages. */
export const MEMBERSHIP_TYPES: readonly MembershipType[] = ['triangular', 'trapezoidal', 'gaussian'];

/** How many parameters each type takes, and what they are called. */
export const MEMBERSHIP_PARAMETERS: Readonly<Record<MembershipType, readonly string[]>> = {
  triangular: ['a', 'b', 'c'],
  trapezoidal: ['a', 'b', 'c', 'd'],
  gaussian: ['mu', 'sigma'],
};

/**
 * What is wrong with `parameters` for `type`, or undefined when they are usable: the count, finite
 * numbers, non-decreasing breakpoints (a <= b <= c [<= d], Python KTRDR's rule) that span some width,
 * and a positive sigma.
 */
export function membershipParameterProblem(
  type: MembershipType,
  parameters: readonly number[],
): string | undefined {
  const names = MEMBERSHIP_PARAMETERS[type];
  if (parameters.length !== names.length) {
    return `${type} takes ${names.length} parameters [${names.join(', ')}] (got ${parameters.length})`;
  }
  if (!parameters.every(Number.isFinite)) return `${type} parameters must be finite numbers`;
  if (type === 'gaussian') {
    return parameters[1]! > 0 ? undefined : `gaussian sigma must be greater than 0 (got ${parameters[1]})`;
  }
  for (let i = 1; i < parameters.length; i++) {
    if (parameters[i]! < parameters[i - 1]!) {
      return `${type} parameters must be non-decreasing (${names.join(' <= ')}), got [${parameters.join(', ')}]`;
    }
  }
  if (parameters[0] === parameters[parameters.length - 1]) {
    return `${type} parameters span nothing: ${names[0]} equals ${names[names.length - 1]} (${parameters[0]})`;
  }
  return undefined;
}

/**
 * Membership degrees of `values` in `set`, in [0, 1]; NaN where the value is NaN.
 * @throws TypeError when the set's parameters are unusable (see {@link membershipParameterProblem}).
 */
export function evaluateMembership(set: FuzzySetDefinition, values: Float64Array): Float64Array {
  const problem = membershipParameterProblem(set.type, set.parameters);
  if (problem !== undefined) throw new TypeError(problem);
  switch (set.type) {
    case 'triangular':
      return triangularMembership(values, set.parameters);
    case 'trapezoidal':
      return trapezoidalMembership(values, set.parameters);
    case 'gaussian':
      return gaussianMembership(values, set.parameters);
  }
}
