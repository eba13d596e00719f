/** An error as the API reported it: its code, then its message. */
export function ErrorMessage({ code, message }: { code?: string; message: string }) {
  return (
    <p class="error" role="alert">
      {code !== undefined && <code class="error-code">{code}</code>} {message}
    </p>
  );
}
