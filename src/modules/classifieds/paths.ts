// The classifieds' addresses.
export const categoryPath = (c: { slug: string }) => `/ads/${c.slug}/`;
export const adPath = (c: { slug: string }, id: number) => `/ads/${c.slug}/${id}/`;
export const shopPath = (slug: string) => `/ads/shop/${slug}/`;
