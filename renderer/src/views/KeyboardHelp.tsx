import { useEffect, useRef } from 'react';

const KEYS: [string, string][] = [
  ['j / k', 'Next / previous case'],
  ['a', 'Acknowledge the open case'],
  ['r', 'Write a reply'],
  ['e', 'Choose an outcome to resolve'],
  ['/', 'Search'],
  ['Ctrl+Enter', 'Send the reply'],
  ['?', 'Show or hide these keys'],
  ['Esc', 'Close this, or leave a text field'],
];

export function KeyboardHelp({ onClose }: { onClose: () => void }) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), []);
  return (
    <div className="dialog-backdrop">
      <section className="dialog" role="dialog" aria-modal="true" aria-labelledby="keys-title">
        <h2 id="keys-title">Keyboard shortcuts</h2>
        <dl className="keys">
          {KEYS.map(([key, action]) => (
            <div key={key}>
              <dt>
                <kbd>{key}</kbd>
              </dt>
              <dd>{action}</dd>
            </div>
          ))}
        </dl>
        <button ref={closeButton} type="button" onClick={onClose}>
          Close
        </button>
      </section>
    </div>
  );
}
