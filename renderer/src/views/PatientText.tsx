// Patient text is untrusted (invariant 6): rendered as React text nodes only. A web address becomes a
// button that asks before opening it, so a message cannot take a nurse to a site by a stray click.
import { Fragment } from 'react';
import { splitLinks } from '../format/links';

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
