// The sidebar, read from the files: every page under a section's folder shows up by itself,
// ordered by its front matter `order` (then file name), titled by its front matter `title` or
// first `# ` heading. New guides, contributed pages and API pages need no edit here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DefaultTheme } from 'vitepress';

export const DOCS = join(import.meta.dirname, '..');

interface Page {
  text: string;
  link: string;
  order: number;
  file: string;
}

/** `title` and `order` of a page's front matter, or its first heading. */
export function pageInfo(file: string): { title: string; order: number } {
  const src = readFileSync(file, 'utf8');
  const fm = /^---\n([\s\S]*?)\n---/.exec(src)?.[1] ?? '';
  const title = /^title:\s*(.+)$/m.exec(fm)?.[1]?.replace(/^['"]|['"]$/g, '') ?? /^# (.+)$/m.exec(src)?.[1] ?? file;
  const order = Number(/^order:\s*(-?\d+)/m.exec(fm)?.[1] ?? 1000);
  return { title: title.replace(/`/g, ''), order };
}

/** The pages of one folder (not recursive), as sidebar items; `index.md` is the folder's own link. */
export function pagesOf(folder: string, base: string): Page[] {
  const dir = join(DOCS, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => {
      const { title, order } = pageInfo(join(dir, f));
      const slug = f === 'index.md' ? '' : f.replace(/\.md$/, '');
      return { text: title, link: `${base}${folder}/${slug}`.replace(/\/+/g, '/'), order: f === 'index.md' ? -1 : order, file: f };
    })
    .sort((a, b) => a.order - b.order || a.file.localeCompare(b.file));
}

function section(text: string, folder: string, base: string, collapsed = false): DefaultTheme.SidebarItem | null {
  const items = pagesOf(folder, base).map(({ text: t, link }) => ({ text: t, link }));
  return items.length ? { text, items, collapsed } : null;
}

/** Labels of the sidebar sections, per language. */
export interface SidebarLabels {
  guide: string;
  course: string;
  contributing: string;
  internals: string;
  api: string;
}

/** The whole sidebar of one locale (`prefix` '' or 'es/'); internals and the API are English only. */
export function sidebar(prefix: string, labels: SidebarLabels): DefaultTheme.SidebarItem[] {
  const internals = ['architecture.md', 'contracts.md', 'keras-interop.md', 'perf.md']
    .filter((f) => existsSync(join(DOCS, f)))
    .map((f) => ({ text: pageInfo(join(DOCS, f)).title, link: `/${f.replace(/\.md$/, '')}` }));
  return [
    section(labels.guide, `${prefix}guide`, '/'),
    section(labels.course, `${prefix}guide/course`, '/'),
    section(labels.contributing, `${prefix}contributing`, '/'),
    internals.length ? { text: labels.internals, items: internals, collapsed: true } : null,
    section(labels.api, 'api', '/', true),
  ].filter((s): s is DefaultTheme.SidebarItem => s !== null);
}
