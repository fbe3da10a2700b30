// The side of an MNIST digit in pixels: its own module, so that the page's view does not pull the
// drawing's preprocessing (loaded when a digit is drawn) into the page's first chunk.

/** MNIST images are 28 × 28. */
export const MNIST_SIZE = 28;
