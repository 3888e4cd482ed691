/**
 * Hand the browser a blob to save under `filename`. Downloads from the server
 * need the bearer token, which a plain link cannot send, so callers fetch
 * first and save what they got.
 */
export function saveBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Some browsers read the blob after click() returns: revoke it a little later.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
