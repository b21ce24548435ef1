/** Saves a Blob as a file through the browser's download flow (no server involved). */
function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: some browsers start reading the blob only after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves text as a file through the browser's download flow (no server involved). */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

/** Saves bytes (e.g. an .onnx model) as a file; the bytes are copied, the caller's stay intact. */
export function downloadBytes(
  fileName: string,
  bytes: Uint8Array,
  type = 'application/octet-stream',
): void {
  downloadBlob(fileName, new Blob([bytes.slice()], { type }));
}
