// Patient text is untrusted (invariant 6): rendered as React text nodes only. A web address becomes a
// button that asks before opening it, so a message cannot take a nurse to a site by a stray click.
import { Fragment } from 'react';

const WEB_ADDRESS = /\bhttps?:\/\/[^\s<>"']+/gi;

export function splitLinks(text: string): { text: string; link: boolean }[] {
  const parts: { text: string; link: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(WEB_ADDRESS)) {
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start), link: false });
    parts.push({ text: match[0], link: true });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), link: false });
  return parts;
}

function openAfterConfirmation(address: string) {
  const confirmed = window.confirm(
    `This link came from a patient message and may not be safe.\n\n${address}\n\nOpen it in a new window?`,
  );
  if (confirmed) window.open(address, '_blank', 'noopener,noreferrer');
}

export function PatientText({ text }: { text: string }) {
  return (
    <>
      {splitLinks(text).map((part, index) =>
        part.link ? (
          <button key={index} type="button" className="text-link" onClick={() => openAfterConfirmation(part.text)}>
            {part.text}
          </button>
        ) : (
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}
