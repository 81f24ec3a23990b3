/** Limits of an item, shared by validation, the OpenAPI document and the table definition. */
export const ITEM_LIMITS = {
  nameMaxLength: 100,
  descriptionMaxLength: 1000,
  /** numeric(12, 2): up to 9,999,999,999.99. */
  pricePrecision: 12,
  priceScale: 2,
  priceMax: 9_999_999_999.99,
  pageDefaultLimit: 20,
  pageMaxLimit: 100,
  offsetMax: 1_000_000_000,
} as const;
