// Keyboard-first: single keys act on the selected case unless the user is typing in a field.
import { useEffect } from 'react';
import type { RootStore } from '../stores/root-store';

function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function focusById(id: string): void {
  const element = document.getElementById(id);
  if (element) element.focus();
}

export function useDeskKeys(store: RootStore, toggleHelp: () => void, closeOverlays: () => void): void {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === 'Escape') {
        closeOverlays();
        if (typingInField(event.target) && event.target instanceof HTMLElement) event.target.blur();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || typingInField(event.target)) return;
      const selected = store.selection.selectedCase;
      switch (event.key) {
        case 'j':
          store.selection.move(1);
          break;
        case 'k':
          store.selection.move(-1);
          break;
        case 'a':
          if (selected?.status === 'open') void store.cases.acknowledge(selected.id);
          break;
        case 'r':
          if (selected) focusById(`composer-${selected.id}`);
          break;
        case 'e':
          if (selected) focusById(`outcome-${selected.id}`);
          break;
        case '/':
          focusById('inbox-search');
          break;
        case '?':
          toggleHelp();
          break;
        default:
          return;
      }
      event.preventDefault();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, toggleHelp, closeOverlays]);
}
