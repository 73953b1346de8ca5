import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectKeyword, HELP_WORDS, isHelpWord, isStartWord, isStopWord, START_WORDS, STOP_WORDS } from './keywords';

describe('detectKeyword', () => {
  it.each([
    ['STOP', 'STOP'],
    ['stop', 'STOP'],
    ['Stop', 'STOP'],
    ['  stop  ', 'STOP'],
    ['\nSTOP\n', 'STOP'],
    ['StopAll', 'STOP'],
    ['unsubscribe', 'STOP'],
    ['Cancel', 'STOP'],
    ['END', 'STOP'],
    ['quit', 'STOP'],
    ['REVOKE', 'STOP'],
    ['optout', 'STOP'],
    ['START', 'START'],
    ['yes', 'START'],
    [' Unstop ', 'START'],
    ['HELP', 'HELP'],
    ['info', 'HELP'],
  ])('%j → %s', (text, expected) => {
    expect(detectKeyword(text)).toBe(expected);
  });

  it.each([
    ['STOP PLEASE'],
    ['please stop'],
    ['stop.'],
    ['STOP!'],
    ['S T O P'],
    ['STOP ALL'],
    ['OPT OUT'],
    ['OPT-OUT'],
    ['stopp'],
    ['yes please'],
    ['help me'],
    ['information'],
    ['ending'],
    [''],
    ['   '],
    ['\u{1F6D1}'],
  ])('%j is not a keyword', (text) => {
    expect(detectKeyword(text)).toBeUndefined();
  });

  it('exposes lists with no word in two families', () => {
    const all = [...STOP_WORDS, ...START_WORDS, ...HELP_WORDS];
    expect(new Set(all).size).toBe(all.length);
  });

  it('agrees with the family predicates for every listed word in any case (property)', () => {
    const listed = fc.constantFrom(...STOP_WORDS, ...START_WORDS, ...HELP_WORDS);
    const recase = fc.array(fc.boolean(), { minLength: 12, maxLength: 12 });
    fc.assert(
      fc.property(listed, recase, (word, uppers) => {
        const mixed = [...word].map((letter, index) => (uppers[index] ? letter : letter.toLowerCase())).join('');
        expect(isStopWord(mixed)).toBe((STOP_WORDS as readonly string[]).includes(word));
        expect(isStartWord(mixed)).toBe((START_WORDS as readonly string[]).includes(word));
        expect(isHelpWord(mixed)).toBe((HELP_WORDS as readonly string[]).includes(word));
        expect(detectKeyword(`${mixed} now`)).toBeUndefined();
      }),
    );
  });
});
