/** Props of {@link ProgressBar}. */
export interface ProgressBarProps {
  /** 0 to 100. */
  percentage: number;
  /** What is progressing, for screen readers. */
  label: string;
}

/** A native `<progress>` with its percentage beside it: accessible as is. */
export function ProgressBar({ percentage, label }: ProgressBarProps) {
  const value = Math.max(0, Math.min(100, Number.isFinite(percentage) ? percentage : 0));
  return (
    <span class="progress">
      <progress max={100} value={value} aria-label={label} />
      <span class="progress-value">{value.toFixed(0)}%</span>
    </span>
  );
}
