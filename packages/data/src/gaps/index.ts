export type { GapKind, GapPosition, Gap, GapAnalysis, TimeRange } from './gap-types';
export { EXPECTED_GAP_KINDS } from './gap-types';
export { classifyClosedInterval } from './gap-classification';
export type { GapAnalysisOptions } from './gap-analysis';
export { analyzeGaps, realGaps } from './gap-analysis';
export { fetchRanges } from './fetch-ranges';
export type { SegmentOrder, SegmentOptions } from './segmentation';
export { segmentRange, segmentRanges } from './segmentation';
