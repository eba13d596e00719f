export type { FuzzySetDefinition, MembershipType } from './types';
export { gaussianMembership } from './gaussian';
export { trapezoidalMembership } from './trapezoidal';
export { triangularMembership } from './triangular';
export {
  evaluateMembership,
  MEMBERSHIP_PARAMETERS,
  MEMBERSHIP_TYPES,
  membershipParameterProblem,
} from './membership';
