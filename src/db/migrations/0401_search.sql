-- Search in Russian: one document per published article, indexed by dictionary
-- lemmas (OpenCorpora, through the az package) run through the Snowball stemmer,
-- so every form of a word finds the others; and the corpus's words for
-- «Возможно, вы искали …» by trigram similarity.
create extension if not exists pg_trgm;

create table search_documents (
  article_id integer primary key references articles (id) on delete cascade,
  section_id integer not null,
  type text not null,
  author_ids integer[] not null default '{}',
  published_at timestamptz not null,
  title text not null,
  lead text not null,
  body text not null,
  document tsvector not null
);
create index search_documents_document_idx on search_documents using gin (document);
create index search_documents_published_idx on search_documents (published_at desc);

create table search_words (
  word text primary key
);
create index search_words_trgm_idx on search_words using gin (word gin_trgm_ops);
