/** Databricks rejects ids longer than this when they come back as input (databricks.md §5.3). */
export const MAX_INPUT_ID_LENGTH = 64;
