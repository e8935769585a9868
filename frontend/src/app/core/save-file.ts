import { DOCUMENT, inject } from '@angular/core';

/**
 * Hands a blob the console fetched (with the session's token, which a plain link cannot send) to the browser as a
 * file: `private readonly saveFile = fileSaver();` in a component's fields, then `this.saveFile(blob, 'name.csv')`.
 */
export function fileSaver(): (blob: Blob, name: string) => void {
  const document = inject(DOCUMENT);
  return (blob, name) => {
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    // The browser reads the blob after click() returns: revoke the URL a little later.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
}
