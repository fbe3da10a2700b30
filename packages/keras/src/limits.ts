// Caps that keep a hostile file from exhausting memory or time. Real Keras files are far below.

/** The largest file read (a `.keras` archive or an `.h5` file): 2 GiB. */
export const MAX_FILE_BYTES = 2 ** 31 - 1;
/** The largest JSON member of an archive (config.json, metadata.json). */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** The most any archive member may inflate to, relative to its compressed size. */
export const MAX_COMPRESSION_RATIO = 200;
/** Members smaller than this may inflate past the ratio (tiny JSON compresses very well). */
export const RATIO_FREE_BYTES = 1024 * 1024;
/** The most members an archive may have (a .keras file has three, plus assets). */
export const MAX_ZIP_ENTRIES = 10_000;
/** The most bytes all declared weights of one file may take. */
export const MAX_WEIGHT_BYTES = 2 ** 31 - 1;
/** The most values one weight may hold (a tensor's limit). */
export const MAX_WEIGHT_VALUES = 2 ** 31 - 1;
/** The most dimensions of a weight. */
export const MAX_RANK = 16;
/** The most objects (groups, datasets) walked in one HDF5 file. */
export const MAX_H5_OBJECTS = 200_000;
/** The deepest group nesting walked in one HDF5 file. */
export const MAX_H5_DEPTH = 32;
/** The largest attribute read (a legacy file's model_config is one). */
export const MAX_ATTRIBUTE_BYTES = 64 * 1024 * 1024;
