/** Saves `href` (an object or data URL) as a download named `fileName`, the way a browser saves a link. */
export function saveDownload(href: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
  }
}

/** Saves `blob` as a download; its object URL is released once the browser has had time to read it. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  saveDownload(url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
