/** The membership function shapes a fuzzy set can have (the Python KTRDR set). */
export type MembershipType = 'triangular' | 'trapezoidal' | 'gaussian';

/** One fuzzy set: its shape and parameters, as in strategy YAML. */
export interface FuzzySetDefinition {
  readonly type: MembershipType;
  /** triangular `[a, b, c]`, trapezoidal `[a, b, c, d]`, gaussian `[mu, sigma]`. */
  readonly parameters: readonly number[];
}
