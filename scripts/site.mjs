// Where the documentation site is published, in one place: the READMEs' "API reference" links
// and the site's own canonical URLs use it (test/publish.test.ts checks the READMEs against it).
// Change it here and in the READMEs (`node scripts/readme-links.mjs`) when the site moves.
export const SITE_URL = 'https://neurona.github.io/neurona/';

/** The API page of a package (by its folder under packages/): `api/<folder>/`. */
export function apiPath(folder) {
  return `api/${folder}/`;
}
