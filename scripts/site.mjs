// Where the documentation site and the repository are published, in one place: the READMEs'
// "API reference" links, the site's links to source files, and the checks of both use these.
// Change them here (then `node scripts/readme-links.mjs`) when the site or the repository moves.
export const SITE_URL = 'https://neurona.github.io/neurona/';
export const REPO_URL = 'https://github.com/neurona/neurona';

/** The API page of a package (by its folder under packages/): `api/<folder>`. */
export function apiPath(folder) {
  return `api/${folder}`;
}
