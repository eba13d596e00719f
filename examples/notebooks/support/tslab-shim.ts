/**
 * Stands in for the `tslab` module when a notebook runs as a script (`run-notebook.ts`): each
 * display call is recorded (MIME type and content) and announced on stdout, instead of going to a
 * Jupyter front end.
 */

/** One display call of the notebook. */
export interface RecordedDisplay {
  mime: string;
  content: string;
}

/** Every display so far, in order. */
export const recordedDisplays: RecordedDisplay[] = [];

function record(mime: string, content: string | Uint8Array): void {
  const text = typeof content === 'string' ? content : Buffer.from(content).toString('base64');
  recordedDisplays.push({ mime, content: text });
  console.log(`[display ${mime}, ${text.length} characters]`);
}

/** tslab's `Display`: one method per MIME type, and `raw` for any. */
export interface Display {
  javascript(s: string): void;
  html(s: string): void;
  markdown(s: string): void;
  latex(s: string): void;
  svg(s: string): void;
  png(b: Uint8Array): void;
  jpeg(b: Uint8Array): void;
  gif(b: Uint8Array): void;
  pdf(b: Uint8Array): void;
  text(s: string): void;
  raw(contentType: string, b: string | Uint8Array): void;
}

/** A recorder with tslab's display API. */
export function newDisplay(): Display {
  return {
    javascript: (s) => record('text/javascript', s),
    html: (s) => record('text/html', s),
    markdown: (s) => record('text/markdown', s),
    latex: (s) => record('text/latex', s),
    svg: (s) => record('image/svg+xml', s),
    png: (b) => record('image/png', b),
    jpeg: (b) => record('image/jpeg', b),
    gif: (b) => record('image/gif', b),
    pdf: (b) => record('application/pdf', b),
    text: (s) => record('text/plain', s),
    raw: (contentType, b) => record(contentType, b),
  };
}

/** `tslab.display`. */
export const display: Display = newDisplay();
