/** What the test page reports to the test (window.neuronaResult). */
export interface PageResult {
  backend: string;
  loss: number[];
  accuracy: number;
  svg: string;
  error?: string;
}
